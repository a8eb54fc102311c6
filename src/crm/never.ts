/**
 * The exhaustiveness check that ends every switch over a union: a case left out makes `value`
 * something other than `never`, and the call a compile error. At run time it is reached only by
 * data that bypassed the types (a row written by another version, a cast).
 */
export function assertNever(value: never, what = "value"): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
