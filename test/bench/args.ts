/** `--name value` options of the bench scripts (process.argv after the script). */
export function opt(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}
