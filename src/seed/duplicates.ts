/**
 * Seeded duplicates (issue 20; docs/data-quality.md, "Scan"): variants of existing people — exact
 * copies, case changes, punctuation, typos, phone numbers written another way — generated from a
 * seeded PRNG with the truth of which record each one duplicates, so that the scan's precision and
 * recall can be measured (the demo, test/seed/duplicates-scan.test.ts, `npm run bench:dedupe`).
 * Also the default match rules of a workspace: contacts against contacts, leads against leads and
 * contacts, both `alert`.
 */
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { COMPANY_SUFFIX, COMPANY_WORDS, FIRST_NAMES, LAST_NAMES } from "./demo-data.js";
import type { Random } from "./random.js";

export const VARIANT_KINDS = ["exact", "case", "punctuation", "typo", "phone_format"] as const;
export type VariantKind = (typeof VARIANT_KINDS)[number];

type Person = Record<string, unknown>;

export interface SeededDuplicates {
  rows: Person[];
  /** `of[k]`: the index (in the originals) of the person `rows[k]` duplicates. */
  of: number[];
  kinds: VariantKind[];
}

/**
 * `rate` × originals.length variants, each of a different original (so that every true pair is
 * one original and one variant), the kinds in turn.
 */
export function duplicateVariants(originals: readonly Person[], rate: number, rnd: Random): SeededDuplicates {
  const count = Math.floor(originals.length * rate);
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(rnd.int(0, originals.length - 1));
  const out: SeededDuplicates = { rows: [], of: [], kinds: [] };
  [...chosen].forEach((index, k) => {
    const kind = VARIANT_KINDS[k % VARIANT_KINDS.length] as VariantKind;
    out.rows.push(variant(originals[index] as Person, kind, rnd));
    out.of.push(index);
    out.kinds.push(kind);
  });
  return out;
}

const str = (v: unknown) => (typeof v === "string" ? v : "");

function variant(p: Person, kind: VariantKind, rnd: Random): Person {
  const { id: _id, ...data } = p;
  const email = str(data.email);
  const [local = "", domain = ""] = email.split("@");
  switch (kind) {
    case "exact":
      return { ...data };
    case "case":
      return {
        ...data,
        first_name: str(data.first_name).toUpperCase(),
        last_name: str(data.last_name).toLowerCase(),
        email: `${local.toUpperCase()}@${domain}`,
      };
    case "punctuation":
      return { ...data, first_name: `${str(data.first_name)}.`, email: `${local.replace(/\./g, "")}@${domain}` };
    case "typo":
      return { ...data, last_name: swapTwo(str(data.last_name), rnd), email: `${swapTwo(local, rnd)}@${domain}` };
    case "phone_format": {
      const phone = parsePhoneNumberFromString(str(data.phone));
      const written = phone ? (rnd.chance(0.5) ? phone.formatInternational() : phone.formatInternational().replace(/ /g, "-")) : data.phone;
      return { ...data, phone: written, first_name: str(data.first_name).toLowerCase() };
    }
  }
}

/** Two neighbouring letters swapped: the commonest typo. */
function swapTwo(s: string, rnd: Random): string {
  if (s.length < 3) return `${s}${s.slice(-1)}`;
  const i = rnd.int(1, s.length - 2);
  return `${s.slice(0, i)}${s[i + 1]}${s[i]}${s.slice(i + 2)}`;
}

const AREAS = ["212", "415", "617", "312", "206", "303", "512", "646", "202", "305"];

/**
 * `count` distinct people for the bench and the tests: names from the demo's lists (so surnames
 * repeat, as they do), an email and a US phone number each person's own.
 */
export function syntheticPeople(count: number, rnd: Random): Person[] {
  return Array.from({ length: count }, (_, i) => {
    const first = rnd.pick(FIRST_NAMES);
    const last = rnd.pick(LAST_NAMES);
    const company = `${rnd.pick(COMPANY_WORDS)}${rnd.pick(COMPANY_SUFFIX)}`.toLowerCase();
    const exchange = 220 + (i % 600);
    const line = Math.floor(i / 600);
    const area = AREAS[Math.floor(line / 10_000) % AREAS.length] as string;
    return {
      first_name: first,
      last_name: last,
      email: `${first.toLowerCase()}.${last.toLowerCase()}.${i + 1}@${company}.com`,
      phone: `+1${area}${exchange}${String(line % 10_000).padStart(4, "0")}`,
    };
  });
}

/** Scored fields shared by the default rules: the email's spelling, the phone, the names. */
const PERSON_FIELDS = [
  { field: "email", weight: 3, similarity: "levenshtein" as const },
  { field: "phone", weight: 2, similarity: "exact" as const },
  { field: "last_name", weight: 2, similarity: "jaro_winkler" as const },
  { field: "first_name", weight: 1, similarity: "jaro_winkler" as const },
];

export const DEFAULT_MATCH_RULES = [
  {
    name: "Contacts: same person",
    description: "Two contacts sharing an email, a phone number or a sound-alike name and initial, scored on email, phone and names.",
    object: "contact",
    compare_with: ["contact"],
    keys: ["email", "phone", "surname_phonetic"],
    fields: PERSON_FIELDS,
    threshold: 0.75,
    action: "alert",
  },
  {
    name: "Leads: already a lead or a contact",
    description: "A new lead with the email or phone of an existing lead or contact goes to the review queue.",
    object: "lead",
    compare_with: ["lead", "contact"],
    keys: ["email", "phone", "surname_phonetic"],
    fields: PERSON_FIELDS,
    threshold: 0.75,
    action: "alert",
  },
] as const;

/** Precision and recall of found pairs against the truth, both as `duplicate:<id>:<id>` keys. */
export function pairQuality(found: readonly string[], truth: readonly string[]): { precision: number; recall: number; truePairs: number } {
  const t = new Set(truth);
  const hits = found.filter((p) => t.has(p)).length;
  return {
    precision: found.length === 0 ? 1 : hits / found.length,
    recall: truth.length === 0 ? 1 : hits / truth.length,
    truePairs: hits,
  };
}
