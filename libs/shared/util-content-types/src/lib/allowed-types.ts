/**
 * Whether an allowlist admits a MIME type's essence (`type/subtype`, lower case): listed exactly,
 * or through `type/*`, which allows every subtype. The API signs by this rule and the web app
 * checks files by it before asking.
 */
export function isTypeAllowed(essence: string, allowlist: readonly string[]): boolean {
  const [family] = essence.split('/');
  return allowlist.some((allowed) => allowed === essence || allowed === `${family}/*`);
}
