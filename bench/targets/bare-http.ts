// The floor under everything: node:http answering a small JSON body, no framework.
import { createServer } from 'node:http';

const body = JSON.stringify({ data: { hello: 'world' } });
createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
}).listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
