/**
 * The replay page's words (docs/testing-workflows.md "Replay"): each verdict as a person says it,
 * the summary sentence of the counts, and the default period (the last 7 days).
 */
import type { Schemas } from "../../api/client";

export type ReplayReport = Schemas["ReplayReport"];
export type ReplayTrigger = ReplayReport["triggers"][number];
export type Verdict = ReplayTrigger["verdict"];
export type Outcome = NonNullable<Schemas["RunOutcome"]>;

export const VERDICTS: readonly Verdict[] = ["changed", "no_longer_enrolled", "new", "unchanged"];

/** A verdict as the table says it (never by colour alone). */
export const VERDICT_WORDS: Record<Verdict, string> = {
  unchanged: "Unchanged",
  changed: "Would change",
  new: "Would newly enroll",
  no_longer_enrolled: "No longer enrolled",
};

/** "3 would no longer enroll": a count with its verdict, for the summary. */
export function countWords(verdict: Verdict, n: number): string {
  switch (verdict) {
    case "unchanged":
      return `${n} unchanged`;
    case "changed":
      return `${n} would change`;
    case "new":
      return `${n} would newly enroll`;
    case "no_longer_enrolled":
      return `${n} would no longer enroll`;
  }
}

/** The summary's opening sentence: how many triggers were read and what the draft would do with them. */
export function summaryWords(r: ReplayReport): string {
  const listed = VERDICTS.reduce((sum, v) => sum + r.counts[v], 0);
  const ignored = r.read - listed;
  return `${r.read} ${r.read === 1 ? "trigger" : "triggers"} replayed against version ${r.tested.version} (${r.tested.source})${
    ignored > 0 ? `; ${ignored} enrolled neither in production nor in the draft` : ""
  }.`;
}

/** A `datetime-local` input's value for an instant, in the browser's zone. */
export function localInput(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** The default period's start: 7 days before now. */
export function weekAgo(now: number = Date.now()): string {
  return localInput(new Date(now - 7 * 24 * 3600 * 1000));
}

/** A value of an outcome as text. */
export function valueText(v: unknown): string {
  if (v === undefined || v === null || v === "") return "(empty)";
  return typeof v === "string" ? v : JSON.stringify(v);
}
