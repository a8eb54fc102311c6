/**
 * Phone numbers into E.164 (issue 20; docs/data-quality.md "Formats"). A number typed with its
 * country code (`+44 20 7946 0958`, `+1 (415) 555-0123`) normalises on its own; one typed without
 * it (`020 7946 0958`) normalises only with a country — the record's own `country`, else its
 * company's — given as ISO 3166 alpha-2. Pure: the caller finds the country.
 */
import { isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js";

export type PhoneResult = { ok: true; e164: string } | { ok: false; problem: string };

/** The country code `value` names, upper-cased, when libphonenumber knows it. */
export function phoneCountry(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const code = value.trim().toUpperCase();
  return isSupportedCountry(code) ? code : undefined;
}

/** Whether the number carries its country code (starts with + after spaces): no country is guessed for it. */
export function hasCountryCode(value: string): boolean {
  return value.trimStart().startsWith("+");
}

/** `value` in E.164, with `country` for a number typed without its country code. */
export function normalisePhone(value: string, country: string | undefined): PhoneResult {
  if (value.length > 64) return { ok: false, problem: "is longer than a phone number (64 characters)" };
  const international = hasCountryCode(value);
  const code = international ? undefined : phoneCountry(country);
  if (!international && code === undefined)
    return { ok: false, problem: `"${value}" has no country code, and neither the record nor its company has a country` };
  const parsed = code === undefined ? parsePhoneNumberFromString(value) : parsePhoneNumberFromString(value, code as never);
  if (!parsed?.isValid()) return { ok: false, problem: `"${value}" is not a valid phone number${code ? ` in ${code}` : ""}` };
  return { ok: true, e164: parsed.number };
}
