/**
 * A conversion model's sentence on the AI models page (issue 24), in words: what it learns and
 * what it reads — the pure part of the card ai-conversion.test.ts reads in Chromium.
 */
import { describe, expect, it } from "vitest";
import { outcomesWords, readsWords } from "../../web/src/pages/ai/model-words.js";

describe("conversion models in words", () => {
  it("says what a conversion model learns and reads", () => {
    const m = {
      target: "status",
      converted: ["converted"],
      lost: ["unqualified", "nurturing"],
      text_fields: [],
      value_fields: ["source", "title"],
      activity_types: ["call", "email", "meeting"],
    };
    expect(outcomesWords(m)).toBe("converted = converted; lost = unqualified, nurturing (its status)");
    expect(readsWords(m)).toBe("3 activity types (call, email, meeting) and the values of source, title");
    expect(readsWords({ ...m, value_fields: [], activity_types: ["meeting"] })).toBe("1 activity type (meeting)");
    expect(readsWords({ text_fields: ["subject"], value_fields: ["plan"], activity_types: [] })).toBe(
      "the words of subject and the values of plan",
    );
  });
});
