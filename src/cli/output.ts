/** stdout is for results (one JSON document with --json); logs and progress go to stderr. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLines(lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function note(msg: string): void {
  process.stderr.write(`${msg}\n`);
}
