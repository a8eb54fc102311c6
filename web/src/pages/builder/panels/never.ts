/** The end of every switch over a union of the format: a member left out makes this call a compile error. */
export function assertNever(value: never): never {
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}
