/** The owner of the record's company (a contact or deal handed to whoever owns the account). */
import type { OwnerStrategy } from "./strategy.js";

export interface CompanyOwnerTarget {
  strategy: "company_owner";
  /** The company's name; undefined when the record has no company. */
  company: string | undefined;
}

export const companyOwner: OwnerStrategy<CompanyOwnerTarget> = ({ target, candidates, rotation, exclude }) => {
  const owner = candidates[0];
  if (!owner || target.company === undefined || exclude.has(owner.id))
    return { ok: false, why: "the record's company has no owner to assign" };
  return { ok: true, userId: owner.id, why: `owner of company ${target.company}`, rotation };
};
