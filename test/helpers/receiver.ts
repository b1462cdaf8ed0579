import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Received = { path: string; headers: Record<string, string>; body: string };
export type Answer = (received: Received, response: ServerResponse) => void;

/** An operator's hook or webhook receiver, in this process: records what it receives and answers as each test says. */
export async function httpReceiver() {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  let answer: Answer = (_received, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = { path: request.url ?? '', headers: request.headers as Record<string, string>, body: Buffer.concat(chunks).toString() };
      received.push(entry);
      answer(entry, response);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    answerWith(next: Answer) {
      answer = next;
    },
    json(status: number, body: unknown): Answer {
      return (_received, response) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof httpReceiver>>;
