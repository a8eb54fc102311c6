import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchKeysOf, surnameKey } from "../../../src/crm/dedupe/keys.js";
import { normaliseCompanyName } from "../../../src/crm/dedupe/normalise.js";
import { scorePair } from "../../../src/crm/dedupe/score.js";

const keyOf = (data: Record<string, unknown>, kind: string, country?: string) =>
  matchKeysOf("lead", data, country).find((k) => k.kind === kind)?.value;

describe("match keys", () => {
  it("lower-cases the email and never changes the record", () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const data = { email: email.toUpperCase(), last_name: "Doe" };
        const copy = structuredClone(data);
        expect(keyOf(data, "email")).toBe(email.toUpperCase().toLowerCase());
        expect(data).toEqual(copy);
      }),
    );
  });

  it("keeps free-mail domains out of the domain and company keys", () => {
    expect(keyOf({ email: "Ann@Gmail.com", last_name: "X" }, "email_domain")).toBeUndefined();
    expect(keyOf({ email: "ann@gmail.com", company_name: "Acme", last_name: "X" }, "company")).toBe("|acme");
    expect(keyOf({ email: "ann@acme.io", last_name: "X" }, "email_domain")).toBe("acme.io");
  });

  it("reads national phone numbers in the record's country, else the workspace's", () => {
    const e164 = "+14155550123";
    expect(keyOf({ phone: "(415) 555-0123", country: "US", last_name: "X" }, "phone")).toBe(e164);
    expect(keyOf({ phone: "415.555.0123", last_name: "X" }, "phone", "US")).toBe(e164);
    expect(keyOf({ phone: "+1 415 555 0123", last_name: "X" }, "phone", "FR")).toBe(e164);
    expect(keyOf({ phone: "01 23 45 67 89", country: "FR", last_name: "X" }, "phone")).toBe("+33123456789");
  });

  it("gives a company name one key whatever its case, punctuation, 'the' and legal form", () => {
    const variants = ["Acme, Inc.", "ACME Inc", "acme", "The Acme Ltd", "Acme GmbH", "Acme Corp.", "Ácme"];
    for (const v of variants) expect(normaliseCompanyName(v)).toBe("acme");
    fc.assert(
      fc.property(fc.constantFrom(...variants), fc.constantFrom("", " ", "  "), (v, pad) => {
        expect(normaliseCompanyName(`${pad}${v}${pad}`)).toBe("acme");
      }),
    );
  });

  it("gives sound-alike surnames with the same initial one phonetic key", () => {
    expect(surnameKey("Smith", "John")).toBe(surnameKey("Smyth", "john"));
    expect(surnameKey("Meyer", "Ann")).toBe(surnameKey("Meier", "Anne"));
    expect(surnameKey("Smith", "John")).not.toBe(surnameKey("Jones", "John"));
  });

  it("is deterministic and never throws on any record", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom("email", "phone", "last_name", "first_name", "company_name", "country"), fc.anything()),
        (data) => {
          expect(matchKeysOf("lead", data, "US")).toEqual(matchKeysOf("lead", data, "US"));
        },
      ),
    );
  });
});

describe("pair scores", () => {
  const fields = [
    { field: "email", weight: 3, similarity: "exact" as const },
    { field: "last_name", weight: 1, similarity: "jaro_winkler" as const },
    { field: "phone", weight: 2, similarity: "exact" as const },
  ];
  it("scores a record against itself 1 and is symmetric", () => {
    fc.assert(
      fc.property(
        fc.record({ email: fc.emailAddress(), last_name: fc.string({ minLength: 1 }) }),
        fc.record({ email: fc.emailAddress(), last_name: fc.string() }),
        (a, b) => {
          expect(scorePair(fields, { data: a, country: "US" }, { data: a, country: "US" }).score).toBe(1);
          const ab = scorePair(fields, { data: a, country: "US" }, { data: b, country: "US" }).score;
          const ba = scorePair(fields, { data: b, country: "US" }, { data: a, country: "US" }).score;
          expect(ab).toBeCloseTo(ba, 4);
          expect(ab).toBeGreaterThanOrEqual(0);
          expect(ab).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
  it("names the fields compared and counts a one-sided value as half a mismatch", () => {
    const s = scorePair(
      fields,
      { data: { email: "A@x.io", last_name: "Doe" }, country: "US" },
      { data: { email: "a@x.io", last_name: "Doe", phone: "+14155550123" }, country: "US" },
    );
    expect(s.fields.map((f) => f.name)).toEqual(["email", "last_name"]);
    expect(s.score).toBeCloseTo(4 / 5, 4);
  });
});
