/**
 * How values are compared and keyed for duplicate detection (docs/data-quality.md, "Matching and
 * duplicates"). These produce match keys and comparison forms only: the record keeps what was
 * typed. Pure: no IO.
 */
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";

/** Lower case, accents folded (é → e), punctuation to spaces, runs of spaces collapsed. */
export function foldText(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

export function normaliseEmail(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const e = value.trim().toLowerCase();
  const at = e.lastIndexOf("@");
  return at > 0 && at < e.length - 1 ? e : undefined;
}

/**
 * Domains of free mailboxes: two people at gmail.com are not the same company, so these never
 * make an email-domain or company key.
 */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  "gmail.com",
  "googlemail.com",
  "yahoo.com",
  "yahoo.co.uk",
  "yahoo.fr",
  "ymail.com",
  "hotmail.com",
  "hotmail.co.uk",
  "hotmail.fr",
  "outlook.com",
  "live.com",
  "msn.com",
  "aol.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "proton.me",
  "protonmail.com",
  "gmx.com",
  "gmx.de",
  "gmx.net",
  "web.de",
  "yandex.com",
  "yandex.ru",
  "mail.ru",
  "qq.com",
  "163.com",
  "zoho.com",
  "fastmail.com",
  "hey.com",
  "mail.com",
]);

/** The company domain of an email, or undefined for free mailboxes. */
export function companyDomainOfEmail(value: unknown): string | undefined {
  const e = normaliseEmail(value);
  if (!e) return undefined;
  const domain = e.slice(e.lastIndexOf("@") + 1);
  return FREE_MAIL_DOMAINS.has(domain) ? undefined : domain;
}

/** "https://www.Acme.com/about" → "acme.com". */
export function normaliseDomain(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const d = value
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, "")
    .replace(/^www\./, "")
    .replace(/[/?#:].*$/, "")
    .replace(/\.$/, "");
  return d.includes(".") ? d : undefined;
}

/** Legal forms dropped from the end of a company name ("Acme, Inc." = "ACME Ltd" = "acme"). */
const LEGAL_SUFFIXES: ReadonlySet<string> = new Set([
  "inc",
  "incorporated",
  "llc",
  "llp",
  "lp",
  "ltd",
  "limited",
  "gmbh",
  "ag",
  "kg",
  "sa",
  "sas",
  "sarl",
  "srl",
  "spa",
  "bv",
  "nv",
  "plc",
  "co",
  "corp",
  "corporation",
  "company",
  "pty",
  "oy",
  "ab",
  "kk",
]);

/** Case, accents, punctuation, a leading or trailing "the" and trailing legal forms removed. */
export function normaliseCompanyName(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  // "Inc." and "G.m.b.H." lose their dots before folding, so that they read as one word.
  const words = foldText(value.replace(/\.(?=\S)/g, "").replace(/\./g, " "))
    .split(" ")
    .filter((w) => w.length > 0);
  while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1] as string)) words.pop();
  if (words[0] === "the" && words.length > 1) words.shift();
  if (words[words.length - 1] === "the" && words.length > 1) words.pop();
  const out = words.join(" ");
  return out.length > 0 ? out : undefined;
}

/**
 * Parsed phone numbers, by country and text. Parsing is libphonenumber's full validation (the
 * number's type by the country's patterns), which made up a third of a create's time with
 * duplicate detection on: every candidate's phone is parsed again for each record it is scored
 * against. The answer is a pure function of its inputs, so a bounded memo is only a cache; it is
 * emptied whole when full, which keeps it simple and the working set (a burst of creates and
 * their candidates) is far below the bound.
 */
const parsedPhones = new Map<string, string | null>();
const PARSED_PHONES_MAX = 20_000;

/** A phone number in E.164, read with `defaultCountry` when it has no country code. */
export function normalisePhone(value: unknown, defaultCountry: string | undefined): string | undefined {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const country = defaultCountry && /^[A-Za-z]{2}$/.test(defaultCountry) ? (defaultCountry.toUpperCase() as CountryCode) : undefined;
  const memoKey = `${country ?? ""}\u0000${value}`;
  const known = parsedPhones.get(memoKey);
  if (known !== undefined) return known ?? undefined;
  const parsed = parsePhone(value, country);
  if (parsedPhones.size >= PARSED_PHONES_MAX) parsedPhones.clear();
  parsedPhones.set(memoKey, parsed ?? null);
  return parsed;
}

function parsePhone(value: string, country: CountryCode | undefined): string | undefined {
  try {
    const parsed = parsePhoneNumberFromString(value, country ? { defaultCountry: country } : undefined);
    return parsed?.isValid() ? parsed.number : undefined;
  } catch {
    // libphonenumber-js throws on some malformed input rather than answering undefined.
    return undefined;
  }
}
