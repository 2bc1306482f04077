/** Assertions are on in every build; a failure is a bug and crashes the server (STYLE.md 12). */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

/**
 * The message is evaluated before the call: on a path taken per txn or per message, write
 * `if (!cond) assert(false, \`...${x}\`)` so the text (a bigint's toString, a hex()) is only
 * built when the check fails.
 */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

export function assertNever(value: never, what = 'value'): never {
  throw new AssertionError(`unexpected ${what}: ${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
}
