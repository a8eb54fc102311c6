/**
 * Scoring in a RevOps admin's words: the fields a model writes, its decay, what an engagement
 * rule counts, and why a ledger row changed a score (the rule, the field change or the event).
 */
import { humanize, type ObjectInfo } from "../../records/model";

export const fieldLabel = (object: ObjectInfo | undefined, name: string) => object?.fields.find((f) => f.name === name)?.label ?? name;

/** "Score (total), Fit score (fit), Engagement score (engagement)". */
export function fieldsWords(fields: { total: string; fit?: string | null; engagement?: string | null }, object: ObjectInfo | undefined) {
  const parts = [`${fieldLabel(object, fields.total)} (total)`];
  if (fields.fit) parts.push(`${fieldLabel(object, fields.fit)} (fit)`);
  if (fields.engagement) parts.push(`${fieldLabel(object, fields.engagement)} (engagement)`);
  return parts.join(", ");
}

type DecaySpec = { half_life_days: number } | { expires_after_days: number } | null | undefined;

export function decayWords(decay: DecaySpec): string {
  if (!decay) return "Engagement points never fade.";
  if ("half_life_days" in decay) return `Engagement points halve every ${days(decay.half_life_days)}.`;
  return `Engagement points count for ${days(decay.expires_after_days)}, then drop to nothing.`;
}

const days = (n: number) => (n === 1 ? "day" : `${n} days`);

/** "Points" with a sign: "+20", "−5", "0". Exact values keep up to one decimal. */
export function signed(n: number): string {
  const r = Math.round(n * 10) / 10;
  if (r > 0) return `+${r}`;
  if (r < 0) return `−${Math.abs(r)}`;
  return "0";
}

/** An activity type as a person reads it ("email_opened" → "Email opened"). */
export const activityWords = (type: string) => humanize(type);

export function onWords(on: { activity: string[] } | { external: string[] }): string {
  if ("activity" in on)
    return on.activity.length > 0 ? `an activity: ${on.activity.map(activityWords).join(" or ")}` : "no activity type yet";
  return on.external.length > 0 ? `a delivery from ${on.external.join(" or ")}` : "no form or hook yet";
}

export const KIND_WORDS: Record<string, string> = {
  fit: "Fit",
  engagement: "Engagement",
  decay: "Decay",
  expiry: "Expiry",
  rescore: "Rescore",
};
