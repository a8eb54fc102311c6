/**
 * The test panel's pure part (no React, no IO): which fields the inline record's form offers, how
 * a typed value becomes the record's value, where a step-by-step run waits, the answers gathered
 * across re-runs (runs are stateless: each re-run sends every answer so far), and the
 * expectations a test case is pre-filled with from a result (docs/testing-workflows.md).
 */
import type { components } from "../../../api/schema.js";
import type { Condition, WorkflowDefinition } from "../../../components/graph/definition.js";
import type { FieldInfo, ObjectInfo } from "../../../records/field-info.js";

type Schemas = components["schemas"];

export type TestRunResult = Schemas["TestRunResult"];
export type TestCase = Schemas["TestCase"];
export type Expect = TestCase["expect"];
export type Decision = "approve" | "reject" | "send_back";
export type SlaOutcome = "met" | "warning" | "breach" | "escalation";
export type OneAnswer =
  | { decision: Decision; comment?: string }
  | { pass: true }
  | { event_after_minutes: number; fields?: Record<string, unknown> }
  | { timeout: true }
  | { sla: SlaOutcome; after_minutes?: number; level?: number; policy?: string };
/** The answers key of an `sla` trigger's milestone (never a step id: those start with a letter). */
export const TRIGGER_ANSWER = "@trigger";
export type Answers = Record<string, OneAnswer | OneAnswer[]>;

/** Names a person fills first when describing a record: who it is and how to reach them. */
const NAMING = ["first_name", "last_name", "name", "email", "company_name", "title", "subject"];

/**
 * The fields of the inline record's form, in this order: those the enrollment conditions and the
 * trigger read (they decide whether the record enrolls), those the steps' conditions read (the
 * path it takes), the object's required fields, then the
 * fields that name it. Managed fields (what the system keeps itself) are left to JSON.
 */
export function formFields(definition: WorkflowDefinition, object: ObjectInfo): FieldInfo[] {
  const wanted: string[] = [];
  const add = (name: string | undefined) => {
    if (name && !wanted.includes(name)) wanted.push(name);
  };
  conditionFields(definition.conditions, add);
  const t = definition.trigger;
  if ("filter" in t) conditionFields(t.filter, add);
  stepFields(definition.steps, add);
  for (const f of object.fields) if (f.required) add(f.name);
  for (const n of NAMING) add(n);
  const byName = new Map(object.fields.map((f) => [f.name, f]));
  return wanted.map((n) => byName.get(n)).filter((f): f is FieldInfo => f !== undefined && f.type !== "json" && !f.managed);
}

function conditionFields(c: Condition | undefined, add: (name: string | undefined) => void): void {
  if (!c) return;
  if ("and" in c) for (const x of c.and) conditionFields(x, add);
  else if ("or" in c) for (const x of c.or) conditionFields(x, add);
  else if ("not" in c) conditionFields(c.not, add);
  else if (!c.count) add(c.field);
}

/**
 * Fields the steps' conditions read (branch rules, approval routes, waits' conditions): any
 * `{field, op}` leaf inside a step, except under a count or an awaited event — those read other
 * records. Fields of other objects are dropped by the caller, which keeps only the object's own.
 */
function stepFields(value: unknown, add: (name: string | undefined) => void): void {
  if (Array.isArray(value)) for (const v of value) stepFields(v, add);
  else if (typeof value === "object" && value !== null) {
    const o = value as Record<string, unknown>;
    if (typeof o.field === "string" && typeof o.op === "string") add(o.field);
    for (const [k, v] of Object.entries(o)) if (k !== "count" && k !== "event") stepFields(v, add);
  }
}

/** The change that triggers an update-triggered workflow: the field, and the value its trigger waits for. */
export function triggerChange(definition: WorkflowDefinition): { field: string; to: string } | undefined {
  const t = definition.trigger;
  if (t.type === "field_changed") return { field: t.field, to: t.to === undefined ? "" : String(t.to) };
  if (t.type === "record_updated" && t.fields?.[0]) return { field: t.fields[0], to: "" };
  return undefined;
}

/** A typed value as the record holds it: numbers as numbers, yes/no as booleans, blank as absent. */
export function fieldValue(field: FieldInfo | undefined, text: string): unknown {
  const v = text.trim();
  if (v === "") return undefined;
  if (field?.type === "integer" || field?.type === "number") {
    const n = Number(v);
    return Number.isFinite(n) ? n : v;
  }
  if (field?.type === "boolean") return v === "true" ? true : v === "false" ? false : v;
  return v;
}

/**
 * Where a run stopped to wait, for the step-by-step buttons: an approval to decide; a delay whose
 * time passes; a `wait_for` whose event happens after some minutes, or times out. `sla` lists the
 * SLA policies with a clock running on the record: their outcome (met, breached) can be chosen there.
 */
export type WaitingAt = { step: string; kind: "approval" | "time" | "event"; sla: string[] };

export function waitingAt(result: TestRunResult): WaitingAt | undefined {
  const sla = (result.sla_clocks ?? []).filter((c) => c.phase !== "stopped").map((c) => c.policy);
  const approval = result.approvals_waiting[0];
  if (approval) return { step: approval.step, kind: "approval", sla };
  const run = result.run;
  if (result.stopped !== "waiting" || !run?.step) return undefined;
  const wait = run.wait as Schemas["RunWait"] | null;
  if (wait?.kind === "wait_for") return { step: run.step, kind: "event", sla };
  if (wait?.kind === "timer") return { step: run.step, kind: "time", sla };
  return undefined;
}

/** The answers with one more for a step: a second answer to the same step makes a list (a request sent back is decided again). */
export function addAnswer(answers: Answers, step: string, answer: OneAnswer): Answers {
  const had = answers[step];
  if (had === undefined) return { ...answers, [step]: answer };
  return { ...answers, [step]: [...(Array.isArray(had) ? had : [had]), answer] };
}

/** The answers in words, for the panel ("approve: Approve, then Send back"). */
export function answerWords(answers: Answers): string[] {
  return Object.entries(answers).map(([step, a]) =>
    step === TRIGGER_ANSWER
      ? `the trigger: ${(Array.isArray(a) ? a : [a]).map(oneAnswerWords).join(", then ")}`
      : `${step}: ${(Array.isArray(a) ? a : [a]).map(oneAnswerWords).join(", then ")}`,
  );
}

const DECISION_WORDS: Record<Decision, string> = { approve: "Approve", reject: "Reject", send_back: "Send back" };

const SLA_WORDS: Record<SlaOutcome, string> = {
  met: "SLA met",
  warning: "SLA warning",
  breach: "SLA breached",
  escalation: "SLA escalated",
};

function oneAnswerWords(a: OneAnswer): string {
  if ("pass" in a) return "Let time pass";
  if ("timeout" in a) return "Nothing arrives (times out)";
  if ("event_after_minutes" in a) return `Happens after ${a.event_after_minutes} min`;
  if ("sla" in a) return `${SLA_WORDS[a.sla]}${a.after_minutes ? ` after ${a.after_minutes} min` : ""}`;
  return DECISION_WORDS[a.decision];
}

type Message = { kind: string; to?: string };

/**
 * A test case's expectations pre-filled from a result: its status, its path, its owner (by name,
 * else email), and its messages counted by kind and recipient ("record" for the record's own
 * address) — "no email" is written as `count: 0`, so a case that expects silence checks it.
 */
export function expectationsFrom(result: TestRunResult): Required<Pick<Expect, "status" | "path" | "messages">> & Pick<Expect, "owner"> {
  const email = typeof result.record?.email === "string" ? result.record.email.toLowerCase() : undefined;
  const groups = new Map<string, { kind: Message["kind"]; to?: string; count: number }>();
  for (const m of result.messages as Message[]) {
    const to = typeof m.to === "string" ? (m.to.toLowerCase() === email ? "record" : m.to) : undefined;
    const key = `${m.kind}\u0000${to ?? ""}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { kind: m.kind, ...(to ? { to } : {}), count: 1 });
  }
  const messages = [...groups.values()].map(({ count, ...g }) => ({ ...g, ...(count === 1 ? {} : { count }) })) as NonNullable<
    Expect["messages"]
  >;
  if (messages.length === 0) messages.push({ kind: "email", count: 0 });
  const ownerName = result.owner?.name ?? result.owner?.email ?? undefined;
  return {
    status: result.status as NonNullable<Expect["status"]>,
    path: result.path,
    messages,
    ...(ownerName ? { owner: { user: ownerName } } : {}),
  };
}

/** The status in words, never by colour alone. */
export function statusWords(result: TestRunResult): string {
  switch (result.stopped) {
    case "ended":
      return `Ended: ${result.status}`;
    case "waiting":
      return "Waiting";
    case "nothing_due":
      return `Stopped, ${result.status}: nothing more was due`;
    case "cap":
      return "Stopped at the test's limit";
    case "not_enrolled":
      return "Not enrolled";
  }
  return result.status;
}
