/** Pure: the tone of a text (crm/sentiment.ts over vader-sentiment) and the fields Handoff keeps from it. */
import { SentimentIntensityAnalyzer } from "vader-sentiment";
import { describe, expect, it } from "vitest";
import { deriveManagedFields } from "../../src/crm/derived.js";
import { describeSentimentWords, MAX_SENTIMENT_WORDS, sentimentOf } from "../../src/crm/sentiment.js";

const NOW = "2026-12-07T10:00:00.000Z";

describe("sentimentOf", () => {
  it("reads a clearly angry text as negative, with the words that made it so, strongest first", () => {
    const s = sentimentOf("I am furious. The export is broken again, this is a terrible service and I want a refund!!");
    expect(s.label).toBe("negative");
    expect(s.score).toBeLessThan(-0.7);
    expect(s.words.map((w) => w.text)).toEqual(["furious", "broken", "terrible"]);
    expect(s.words.every((w) => w.valence < 0 && !w.negated)).toBe(true);
    const strengths = s.words.map((w) => Math.abs(w.valence));
    expect(strengths).toEqual([...strengths].sort((a, b) => b - a));
    expect(describeSentimentWords(s.words)).toBe("'furious' \u22122.7, 'broken' \u22122.1, 'terrible' \u22122.1");
  });

  it("turns a negated word around and says so: 'not good' is negative", () => {
    const s = sentimentOf("The new version is not good");
    expect(s.label).toBe("negative");
    expect(s.words).toEqual([{ text: "not good", valence: -1.4, negated: true }]);
    // The negation reaches over an intensifier, and the phrase shows the whole of it.
    expect(sentimentOf("it is not very helpful").words).toEqual([{ text: "not very helpful", valence: -1.5, negated: true }]);
  });

  it("reads a negation or a 'but' at the start of a sentence, and a typographic apostrophe, as VADER's reference does", () => {
    // The JavaScript port alone scores these as positive (it compares "not" and "but" case-sensitively).
    expect(SentimentIntensityAnalyzer.polarity_scores("Not good").compound).toBeGreaterThan(0);
    expect(sentimentOf("Not good").label).toBe("negative");
    expect(sentimentOf("This is NOT acceptable").label).toBe("negative");
    expect(sentimentOf("NOT GOOD").score).toBe(-0.34); // all capitals stress nothing: as "not good"
    expect(sentimentOf("Great app. But the export is terrible").label).toBe("negative");
    expect(sentimentOf("I don\u2019t like the new editor").label).toBe("negative");
  });

  it("gives empty and wordless texts a neutral 0 with no words", () => {
    expect(sentimentOf("")).toEqual({ score: 0, label: "neutral", words: [] });
    expect(sentimentOf("   ")).toEqual({ score: 0, label: "neutral", words: [] });
    expect(sentimentOf("Invoice 2291 for the March seats")).toEqual({ score: 0, label: "neutral", words: [] });
  });

  it("lists the positive words of a positive text and leaves the other side out", () => {
    const s = sentimentOf("Thanks, the fix works perfectly, though the wait was annoying. Great support!");
    expect(s.label).toBe("positive");
    expect(s.words.length).toBeGreaterThan(0);
    expect(s.words.every((w) => w.valence > 0)).toBe(true);
    expect(s.words.map((w) => w.text)).not.toContain("annoying");
  });

  it("keeps at most a few words, each phrase once", () => {
    const s = sentimentOf("awful awful awful horrible terrible dreadful bad sad angry furious");
    expect(s.words).toHaveLength(MAX_SENTIMENT_WORDS);
    expect(new Set(s.words.map((w) => w.text)).size).toBe(MAX_SENTIMENT_WORDS);
  });

  it("scores what the library scores for a text without request words (its compound, two decimals), labelled with the ±0.05 cutoffs", () => {
    for (const text of ["The dashboard loads slowly", "Love it", "ok", "Refund now, charged twice", "It works but it is great"]) {
      const s = sentimentOf(text);
      expect(s.score).toBe(Math.round(SentimentIntensityAnalyzer.polarity_scores(text).compound * 100) / 100);
      expect(s.label).toBe(s.score <= -0.05 ? "negative" : s.score >= 0.05 ? "positive" : "neutral");
    }
  });

  it("does not take the words of a request for a tone, unless they are turned around", () => {
    // VADER alone reads these as positive: "please" +1.3, "help" +1.7, "save" +2.2, "like" +1.5.
    expect(SentimentIntensityAnalyzer.polarity_scores("Refund please, charged twice").compound).toBeGreaterThan(0);
    expect(sentimentOf("Refund please, charged twice")).toMatchObject({ label: "negative", words: [{ text: "charged", negated: false }] });
    expect(sentimentOf("Can you help? Looks like the save button does nothing")).toEqual({ score: 0, label: "neutral", words: [] });
    expect(sentimentOf("I don't like the new editor").words).toEqual([{ text: "don't like", valence: -1.1, negated: true }]);
    // Gratitude is a tone, and stays one.
    expect(sentimentOf("Thanks, that fixed it").label).toBe("positive");
  });

  it("reads only the first 4,000 characters", () => {
    const calm = "Invoice 2291 for the March seats. ".repeat(130);
    expect(calm.length).toBeGreaterThan(4000);
    expect(sentimentOf(`${calm} Terrible, awful, I hate it`).words).toEqual([]);
  });
});

describe("sentiment fields (deriveManagedFields)", () => {
  it("scores a new ticket from its subject and description", () => {
    const out = deriveManagedFields("ticket", undefined, { subject: "Export broken", description: "I am furious, nothing works" }, NOW);
    expect(out).toMatchObject({ sentiment_label: "negative", sentiment_words: expect.stringContaining("'furious'") });
    expect(out.sentiment).toBeLessThan(-0.5);
  });

  it("scores again only when the text changes", () => {
    const before = {
      subject: "Export broken",
      description: "I am furious",
      sentiment: -0.6,
      sentiment_label: "negative",
      sentiment_words: "x",
    };
    const other = deriveManagedFields("ticket", before, { ...before, priority: "P1" }, NOW);
    expect(other.sentiment_words).toBe("x");
    const calmer = deriveManagedFields("ticket", before, { ...before, subject: "Export", description: "Thanks, it works now" }, NOW);
    expect(calmer.sentiment_label).toBe("positive");
    // A record written before the fields existed gets them with its next text change, not before.
    expect(deriveManagedFields("ticket", { subject: "Hi" }, { subject: "Hi", priority: "P2" }, NOW).sentiment).toBeUndefined();
  });

  it("reads an activity's subject and body; a tracked open has no tone; no text clears the fields", () => {
    const call = deriveManagedFields("activity", undefined, { type: "call", subject: "Call", body: "Customer is very unhappy" }, NOW);
    expect(call.sentiment_label).toBe("negative");
    const opened = deriveManagedFields("activity", undefined, { type: "email_opened", subject: "Terrible news about your invoice" }, NOW);
    expect(opened.sentiment).toBeNull();
    const emptied = deriveManagedFields("activity", call, { ...call, subject: null, body: null }, NOW);
    expect([emptied.sentiment, emptied.sentiment_label, emptied.sentiment_words]).toEqual([null, null, null]);
  });

  it("leaves objects without text alone", () => {
    expect(deriveManagedFields("deal", undefined, { name: "Terrible deal" }, NOW)).not.toHaveProperty("sentiment");
  });
});
