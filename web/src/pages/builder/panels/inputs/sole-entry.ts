/**
 * Person and approver specs of the format are objects with exactly one key (`{manager_of:
 * "owner_id"}`): which kind it is, and its value, are that key and its value.
 */
export function soleEntry<T extends object>(spec: T): [keyof T & string, string] {
  const [entry] = Object.entries(spec);
  return [(entry?.[0] ?? "") as keyof T & string, String(entry?.[1] ?? "")];
}
