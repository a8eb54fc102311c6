/**
 * The end of every switch over a union: the compiler refuses the call while a member is left
 * unhandled, and at run time a value from outside the union (an old row, a bad cast) fails loudly.
 */
export function assertNever(value: never, what = "value"): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
