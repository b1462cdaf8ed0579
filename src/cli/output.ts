/** Where a command's answer goes: a human-readable form, or (with --json) one JSON document on stdout. */
export class Output {
  constructor(readonly json: boolean) {}

  /** Prints `value` as JSON with --json, else the lines `human` makes from it. */
  result<T>(value: T, human: (value: T) => string | string[]): void {
    if (this.json) {
      process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      return;
    }
    const text = human(value);
    process.stdout.write(`${Array.isArray(text) ? text.join('\n') : text}\n`);
  }

  /** A remark for people (never with --json): on stderr, so stdout stays what scripts read. */
  note(message: string): void {
    if (!this.json) process.stderr.write(`${message}\n`);
  }
}

/** `2025-01-31 09:30:00Z`, or `-` when absent. */
export function formatTime(value: string | null | undefined): string {
  if (!value) return '-';
  return new Date(value).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

/** Columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}
