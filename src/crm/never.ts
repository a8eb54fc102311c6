/**
 * The end of every switch over a union: `default: return assertNever(x)`. Adding a member to
 * the union then fails to compile at each switch that does not handle it yet, instead of
 * falling through at run time.
 */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
