/**
 * Production's outcome of one trigger against the draft's (issue 19, replay): unchanged, changed
 * with each difference in words, new (the draft would enroll a record production did not), or no
 * longer enrolled. Pure.
 */
import { isDeepStrictEqual } from "node:util";
import type { MessageOutcome, RunOutcome } from "./run-outcome.js";

export const REPLAY_VERDICTS = ["unchanged", "changed", "new", "no_longer_enrolled"] as const;
export type ReplayVerdict = (typeof REPLAY_VERDICTS)[number];

export interface OutcomeDifference {
  aspect: "status" | "path" | "field" | "owner" | "created" | "messages";
  /** The field, for a `field` difference. */
  field?: string;
  production: unknown;
  draft: unknown;
  sentence: string;
}

export interface OutcomeComparison {
  verdict: ReplayVerdict;
  differences: OutcomeDifference[];
}

/**
 * Two instants a step wrote are the same when they are within this of each other: the sandbox
 * replays at the instants production's steps ran, but a step's own clock reading moves with the
 * milliseconds its transaction took.
 */
const SAME_INSTANT_MS = 60_000;

/** Undefined when neither enrolled: there is nothing to show for that trigger. */
export function compareOutcomes(production: RunOutcome | null, draft: RunOutcome | null): OutcomeComparison | undefined {
  if (!production && !draft) return undefined;
  if (!production) return { verdict: "new", differences: [] };
  if (!draft) return { verdict: "no_longer_enrolled", differences: [] };
  const differences = [
    ...statusDifference(production, draft),
    ...pathDifference(production.path, draft.path),
    ...ownerDifference(production, draft),
    ...fieldDifferences(production, draft),
    ...createdDifference(production, draft),
    ...messageDifference(production.messages, draft.messages),
  ];
  return { verdict: differences.length === 0 ? "unchanged" : "changed", differences };
}

/** How many triggers of each verdict. */
export function countVerdicts(comparisons: ReadonlyArray<OutcomeComparison | undefined>): Record<ReplayVerdict, number> {
  const counts = Object.fromEntries(REPLAY_VERDICTS.map((v) => [v, 0])) as Record<ReplayVerdict, number>;
  for (const c of comparisons) if (c) counts[c.verdict] += 1;
  return counts;
}

function statusDifference(p: RunOutcome, d: RunOutcome): OutcomeDifference[] {
  if (p.status === d.status) return [];
  return [{ aspect: "status", production: p.status, draft: d.status, sentence: `The run would be ${d.status} instead of ${p.status}.` }];
}

function pathDifference(p: readonly string[], d: readonly string[]): OutcomeDifference[] {
  if (isDeepStrictEqual(p, d)) return [];
  const at = p.findIndex((step, i) => d[i] !== step);
  const i = at === -1 ? p.length : at;
  const sentence =
    d[i] === undefined
      ? `The run would stop after ${i} step${i === 1 ? "" : "s"}, before “${p[i]}”.`
      : p[i] === undefined
        ? `The run would go on to “${d[i]}” after “${p.at(-1)}”.`
        : `Step ${i + 1} would be “${d[i]}” instead of “${p[i]}”.`;
  return [{ aspect: "path", production: p, draft: d, sentence }];
}

function ownerDifference(p: RunOutcome, d: RunOutcome): OutcomeDifference[] {
  if (p.owner === d.owner) return [];
  return [{ aspect: "owner", production: p.owner, draft: d.owner, sentence: "The owner would differ." }];
}

function fieldDifferences(p: RunOutcome, d: RunOutcome): OutcomeDifference[] {
  const owners = new Set(p.owner !== null || d.owner !== null ? ownerFields(p, d) : []);
  const names = [...new Set([...Object.keys(p.fields), ...Object.keys(d.fields)])].filter((f) => !owners.has(f)).sort();
  const out: OutcomeDifference[] = [];
  for (const field of names) {
    const [a, b] = [p.fields[field], d.fields[field]];
    if (sameValue(a, b)) continue;
    const sentence =
      a === undefined
        ? `Would also write ${field}.`
        : b === undefined
          ? `Would no longer write ${field}.`
          : `Would write ${field} = ${show(b)} instead of ${show(a)}.`;
    out.push({ aspect: "field", field, production: a ?? null, draft: b ?? null, sentence });
  }
  return out;
}

/** Fields whose written value is the owner chosen: compared once, as the owner. */
function ownerFields(p: RunOutcome, d: RunOutcome): string[] {
  return [p, d].flatMap((o) =>
    Object.entries(o.fields)
      .filter(([, v]) => v === o.owner && v !== null)
      .map(([f]) => f),
  );
}

function createdDifference(p: RunOutcome, d: RunOutcome): OutcomeDifference[] {
  const shape = (o: RunOutcome) => o.created.map((c) => c.object).sort();
  if (isDeepStrictEqual(shape(p), shape(d))) return [];
  const list = (o: RunOutcome) => (o.created.length === 0 ? "none" : shape(o).join(", "));
  return [{ aspect: "created", production: shape(p), draft: shape(d), sentence: `Would create ${list(d)} instead of ${list(p)}.` }];
}

function messageDifference(p: readonly MessageOutcome[], d: readonly MessageOutcome[]): OutcomeDifference[] {
  const key = (m: MessageOutcome) => `${m.kind}|${m.to ?? ""}|${m.what}`;
  const [a, b] = [p.map(key).sort(), d.map(key).sort()];
  if (isDeepStrictEqual(a, b)) return [];
  const count = (n: number) => `${n} message${n === 1 ? "" : "s"}`;
  const sentence =
    a.length === b.length
      ? `Would send ${count(b.length)}, not the same as production's.`
      : `Would send ${count(b.length)} instead of ${a.length}.`;
  return [{ aspect: "messages", production: p, draft: d, sentence }];
}

function sameValue(a: unknown, b: unknown): boolean {
  if (isDeepStrictEqual(a, b)) return true;
  if (typeof a !== "string" || typeof b !== "string") return false;
  const [x, y] = [Date.parse(a), Date.parse(b)];
  return /^\d{4}-\d\d-\d\dT/.test(a) && /^\d{4}-\d\d-\d\dT/.test(b) && Math.abs(x - y) <= SAME_INSTANT_MS;
}

function show(v: unknown): string {
  return typeof v === "string" ? `“${v}”` : JSON.stringify(v);
}
