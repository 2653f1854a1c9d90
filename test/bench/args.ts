/** `--name value` options of the bench scripts (process.argv after the script). */
export function opt(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** `--name` given, with or without a value (a switch such as `--json`). */
export function flag(name: string): boolean {
  return process.argv.slice(2).includes(`--${name}`);
}

/**
 * `--name N` as a number, `fallback` when `--name` is not given; given without a number (missing,
 * blank or not finite), the script stops with a message rather than running on NaN.
 */
export function numOpt(name: string, fallback: number): number {
  if (!flag(name)) return fallback;
  const value = opt(name) ?? '';
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) {
    console.error(`--${name} needs a number, got '${value}'`);
    process.exit(2);
  }
  return n;
}
