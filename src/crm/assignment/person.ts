/**
 * A named person: a user by id, the user in a field of the record, their manager or their team's
 * lead. The runtime resolves the name to at most one candidate and says how it found them; the
 * candidate is chosen unless excluded.
 */
import type { OwnerStrategy } from "./strategy.js";

export interface PersonTarget {
  strategy: "person";
  /** The person as the workflow names them (JSON), for the reason when they lead nowhere. */
  spec: string;
}

export const person: OwnerStrategy<PersonTarget> = ({ target, candidates, rotation, exclude }) => {
  const found = candidates[0];
  if (!found || exclude.has(found.id)) return { ok: false, why: `nobody to assign: ${target.spec} leads to no other user` };
  return { ok: true, userId: found.id, why: found.found ?? found.name, rotation };
};
