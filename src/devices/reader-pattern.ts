/**
 * Reader name patterns from the configuration (cli.md `readers.rf`, `readers.sam`): a plain string
 * matches as a case-insensitive substring, `/.../flags` as a regular expression.
 */
export function matchesReaderPattern(name: string, pattern: string | undefined): boolean {
  if (!pattern) return false;
  const re = /^\/(.*)\/([a-z]*)$/.exec(pattern);
  if (re) return new RegExp(re[1], re[2]).test(name);
  return name.toLowerCase().includes(pattern.toLowerCase());
}
