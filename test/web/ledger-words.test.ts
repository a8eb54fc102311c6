/**
 * The score ledger in words (web/src/pages/scoring/ledger-words.ts) for AI prediction rules
 * (issue 24; docs/scoring.md "AI prediction rules"): a rule that gives part of its points says
 * how much, and an activity that moved the chance is named; a condition rule still "applies".
 * The ledger on the record page is tested in Chromium (scoring.test.ts).
 */
import { describe, expect, it } from "vitest";
import type { LedgerRow } from "../../web/src/pages/scoring/data.js";
import { causeWords, type Labels } from "../../web/src/pages/scoring/ledger-words.js";

const labels: Labels = {
  groups: new Map([
    ["ai", "AI prediction"],
    ["geo", "Country"],
  ]),
  rules: new Map([
    ["ai/predicted", { label: "Predicted to convert", points: 15 }],
    ["geo/de", { label: "Germany", points: 10 }],
  ]),
};
const row = (r: Partial<LedgerRow>) => ({ kind: "fit", group: "ai", rule: "predicted", version: 1, cause: {}, ...r }) as LedgerRow;

describe("ledger rows of AI prediction rules in words", () => {
  it("says what part of its points the rule gives now, and which activity moved it", () => {
    const meeting = { event: "record.created", activity: { id: "a1", type: "meeting", subject: "Discovery" } };
    expect(causeWords(row({ points: 8.7, cause: meeting }), labels)).toBe(
      "“Predicted to convert” now gives 8.7 of 15 points (Meeting “Discovery”)",
    );
    expect(causeWords(row({ points: -8.7, cause: { event: "record.updated", fields: [] } }), labels)).toBe(
      "“Predicted to convert” no longer applies",
    );
    const de = row({
      group: "geo",
      rule: "de",
      points: 10,
      cause: { event: "record.updated", fields: [{ field: "country", old: "US", new: "DE" }] },
    });
    expect(causeWords(de, labels)).toBe("“Germany” now applies (Country: US → DE)");
  });
});
