/**
 * Match keys (docs/data-quality.md, "Matching and duplicates"): short normalised forms of a
 * record's identifying fields. Records that share a key are candidate duplicates and are scored;
 * records that share none are never compared, so detection costs index lookups, not a scan.
 * Keys are derived, stored beside the record, and never written back into it. Pure.
 */
import { doubleMetaphone } from "double-metaphone";
import type { ObjectName } from "../fields.js";
import { companyDomainOfEmail, foldText, normaliseCompanyName, normaliseDomain, normaliseEmail, normalisePhone } from "./normalise.js";

export const MATCH_KEY_KINDS = ["email", "email_domain", "phone", "company", "surname_phonetic"] as const;
export type MatchKeyKind = (typeof MATCH_KEY_KINDS)[number];

export interface MatchKey {
  kind: MatchKeyKind;
  value: string;
}

/** The objects that have match keys, and the fields their keys are made of. */
export const KEY_FIELDS: Partial<Record<ObjectName, readonly string[]>> = {
  lead: ["email", "phone", "first_name", "last_name", "company_name", "country"],
  contact: ["email", "phone", "first_name", "last_name"],
  company: ["name", "domain", "country"],
};

export function hasMatchKeys(object: ObjectName): boolean {
  return KEY_FIELDS[object] !== undefined;
}

/** Whether a change of these fields can change the record's keys. */
export function touchesKeys(object: ObjectName, changedFields: readonly string[]): boolean {
  const fields = KEY_FIELDS[object];
  return fields !== undefined && changedFields.some((f) => fields.includes(f));
}

/** The country a record's phone numbers are read in when they carry no country code. */
export function countryOf(data: Readonly<Record<string, unknown>>, workspaceCountry: string | undefined): string | undefined {
  return typeof data.country === "string" && data.country.length === 2 ? data.country : workspaceCountry;
}

/**
 * A record's keys, without repeats. `workspaceCountry` reads national phone numbers of records
 * that name no country.
 */
export function matchKeysOf(object: ObjectName, data: Readonly<Record<string, unknown>>, workspaceCountry?: string): MatchKey[] {
  if (!hasMatchKeys(object)) return [];
  const keys: MatchKey[] = [];
  const add = (kind: MatchKeyKind, value: string | undefined) => {
    if (value !== undefined && value.length > 0 && value.length <= 200) keys.push({ kind, value });
  };
  if (object === "company") {
    const name = normaliseCompanyName(data.name);
    const domain = normaliseDomain(data.domain);
    if (domain) add("email_domain", domain);
    if (name) add("company", `${domain ?? ""}|${name}`);
    return keys;
  }
  add("email", normaliseEmail(data.email));
  const domain = companyDomainOfEmail(data.email);
  add("email_domain", domain);
  add("phone", normalisePhone(data.phone, countryOf(data, workspaceCountry)));
  const company = normaliseCompanyName(data.company_name);
  if (company) add("company", `${domain ?? ""}|${company}`);
  add("surname_phonetic", surnameKey(data.last_name, data.first_name));
  return keys;
}

/**
 * The Double Metaphone code of the surname with the first name's initial: "Smith", "Smyth" and
 * "Schmidt" John share "SM0:j"/"XMT:j"-style keys without every Smith in the workspace being one block.
 */
export function surnameKey(lastName: unknown, firstName: unknown): string | undefined {
  if (typeof lastName !== "string") return undefined;
  const folded = foldText(lastName).replace(/ /g, "");
  if (folded.length === 0) return undefined;
  const [primary] = doubleMetaphone(folded);
  if (primary.length === 0) return undefined;
  const initial = typeof firstName === "string" ? foldText(firstName).slice(0, 1) : "";
  return `${primary}:${initial}`;
}
