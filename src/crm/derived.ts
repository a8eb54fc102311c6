/**
 * Fields Handoff keeps true by itself, derived from the write that is happening.
 * Pure: the caller supplies `now`.
 */
import type { ObjectName } from "./fields.js";
import { describeSentimentWords, sentimentOf } from "./sentiment.js";

export function deriveManagedFields(
  object: ObjectName,
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
  now: string,
): Record<string, unknown> {
  const out = { ...after };
  const changed = (field: string) => before === undefined || before[field] !== after[field];
  switch (object) {
    case "deal":
      if (changed("stage")) out.stage_entered_at = now;
      break;
    case "task":
      if (changed("status")) out.completed_at = after.status === "done" ? now : null;
      break;
    case "ticket": {
      const closed = after.status === "resolved" || after.status === "closed";
      if (changed("status") && closed && (after.resolved_at === undefined || after.resolved_at === null)) {
        out.resolved_at = now;
      }
      if (changed("status") && !closed && before !== undefined && before.resolved_at === after.resolved_at) {
        out.resolved_at = null;
      }
      break;
    }
    default:
      break;
  }
  deriveSentiment(object, before, after, out);
  return out;
}

/** The text fields whose words give an object's `sentiment`, `sentiment_label` and `sentiment_words`. */
export const SENTIMENT_SOURCES: Partial<Record<ObjectName, readonly string[]>> = {
  ticket: ["subject", "description"],
  activity: ["subject", "body"],
};

/**
 * Email tracking events carry the subject of Handoff's own email, not anyone's words: no tone.
 * (A change of type is watched too, so an activity turned into one loses its sentiment.)
 */
const TONELESS_ACTIVITY_TYPES: readonly unknown[] = ["email_opened", "email_clicked"];

/**
 * The sentiment fields alone, for a write that keeps the other managed fields as they are (a merge
 * takes the merged record's text into the survivor: its tone comes with it).
 */
export function withSentiment(
  object: ObjectName,
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
): Record<string, unknown> {
  const out = { ...after };
  deriveSentiment(object, before, after, out);
  return out;
}

/**
 * Scored again only when the text (or an activity's type) changes, so a write of other fields
 * costs nothing and records written before the fields existed get them at their next text change.
 * No text: the three fields are cleared.
 */
function deriveSentiment(
  object: ObjectName,
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
  out: Record<string, unknown>,
): void {
  const sources = SENTIMENT_SOURCES[object];
  if (!sources) return;
  const watched = object === "activity" ? [...sources, "type"] : sources;
  if (before !== undefined && watched.every((f) => before[f] === after[f])) return;
  const text = sources
    .map((f) => after[f])
    .filter((v): v is string => typeof v === "string" && v.trim() !== "")
    .join("\n");
  if (text === "" || (object === "activity" && TONELESS_ACTIVITY_TYPES.includes(after.type))) {
    out.sentiment = null;
    out.sentiment_label = null;
    out.sentiment_words = null;
    return;
  }
  const { score, label, words } = sentimentOf(text);
  out.sentiment = score;
  out.sentiment_label = label;
  out.sentiment_words = words.length > 0 ? describeSentimentWords(words) : null;
}

/** Objects whose `last_activity_at` an activity on them (or on a record of theirs) moves forward. */
export const ACTIVITY_TARGETS: readonly ObjectName[] = ["lead", "contact", "company", "deal", "ticket"];
