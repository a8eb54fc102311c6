/**
 * The workflows and events of `npm run bench:engine`: 1,000 published workflows spread over
 * the objects and trigger kinds the way a real workspace would have them, of which exactly two
 * match each benchmark event (a lead created) and run two internal actions each.
 */
import type { WorkflowInput } from "../engine/definition.js";

/** 50 countries: the lead's country picks which two of the lead workflows it enrolls in. */
// biome-ignore format: a table
export const COUNTRIES = [
  "US", "CA", "MX", "BR", "AR", "CL", "CO", "PE", "GB", "IE", "FR", "DE", "NL", "BE", "LU", "CH", "AT", "IT", "ES", "PT",
  "DK", "SE", "NO", "FI", "IS", "PL", "CZ", "SK", "HU", "RO", "BG", "GR", "TR", "IL", "AE", "SA", "EG", "ZA", "NG", "KE",
  "IN", "SG", "MY", "TH", "VN", "PH", "ID", "JP", "KR", "AU",
] as const;

export const TIMER_WORKFLOW_KEY = "bench-timer";
/** Workflows that match each benchmark event. */
export const MATCHES_PER_EVENT = 2;

type Def = WorkflowInput;

const task = (subject: string, next?: string) => ({
  type: "action" as const,
  action: { type: "create_task" as const, subject, priority: "P2" as const, due_in: { hours: 4 } },
  ...(next ? { next } : {}),
});
const update = (fields: Record<string, unknown>, next?: string) => ({
  type: "action" as const,
  action: { type: "update_fields" as const, fields },
  ...(next ? { next } : {}),
});

function def(key: string, object: Def["object"], trigger: Def["trigger"], conditions: Def["conditions"], steps: Def["steps"]): Def {
  const start = Object.keys(steps)[0] ?? "start";
  // Publishing needs a description (why the workflow exists).
  const description = `Benchmark workload: ${key.replace(/-/g, " ")}.`;
  return { key, name: key.replace(/-/g, " "), description, object, trigger, ...(conditions ? { conditions } : {}), start, steps };
}

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

/**
 * The 1,000 workflows (with `total` = 1,000): the timer workflow, 100 lead `record_created`
 * workflows keyed by country (two per country: the benchmark events match exactly two), and
 * the rest on other objects and trigger kinds, with enrollment conditions that the benchmark's
 * records do not meet.
 */
export function workflowSet(total = 1_000): Def[] {
  const out: Def[] = [];
  // The timer phase's workflow: runs are inserted waiting on its delay; the timer ends the run.
  out.push(
    def(TIMER_WORKFLOW_KEY, "lead", { type: "manual" }, undefined, {
      wait: { type: "delay", duration: { minutes: 1 } },
    }),
  );
  // Lead created, by country: i < 50 qualifies bigger companies, i >= 50 engaged leads.
  for (let i = 0; i < 100; i++) {
    const country = pick(COUNTRIES, i);
    const second = i >= COUNTRIES.length;
    out.push(
      def(
        `lead-${second ? "engaged" : "qualify"}-${country.toLowerCase()}`,
        "lead",
        { type: "record_created" },
        {
          and: [
            { field: "country", op: "eq", value: country },
            second ? { field: "score", op: "gte", value: 20 } : { field: "employee_count", op: "gt", value: 10 },
          ],
        },
        second
          ? {
              stage: update({ lifecycle_stage: "marketing_qualified" }, "intro"),
              intro: task("Send the intro deck to {{ record.first_name }} {{ record.last_name }}"),
            }
          : {
              qualify: update({ status: "working" }, "call"),
              call: task("Call {{ record.first_name }} {{ record.last_name }} ({{ record.country }})"),
            },
      ),
    );
  }
  // Other lead triggers: evaluated for the benchmark's lead events, never matching.
  for (let i = 0; i < 20; i++)
    out.push(
      def(`lead-hot-${i}`, "lead", { type: "score_threshold", field: "score", threshold: 60 + 2 * i, direction: "up" }, undefined, {
        hot: task(`Hot lead (score ${60 + 2 * i}): call now`),
      }),
    );
  const leadChanges = [
    { field: "country", to: "ZZ" },
    { field: "title", to: "Chief Revenue Officer" },
    { field: "status", to: "qualified" },
    { field: "status", to: "unqualified" },
    { field: "lifecycle_stage", to: "customer" },
    { field: "employee_count", to: 5000 },
  ];
  for (let i = 0; i < 50; i++) {
    const c = pick(leadChanges, i);
    out.push(
      def(`lead-changed-${c.field.replace(/_/g, "-")}-${i}`, "lead", { type: "field_changed", field: c.field, to: c.to }, undefined, {
        follow: task(`Lead ${c.field} became ${c.to}`),
      }),
    );
  }
  for (let i = 0; i < 30; i++)
    out.push(
      def(
        `lead-updated-${i}`,
        "lead",
        i % 2 === 0 ? { type: "record_updated", fields: [pick(["title", "email", "company_name"], i)] } : { type: "record_updated" },
        { field: "source", op: "eq", value: `partner-${i}` },
        { touch: update({ lifecycle_stage: "sales_qualified" }) },
      ),
    );

  const perObject: Array<{ object: Def["object"]; created: number; changed: number; updated: number }> = [
    { object: "contact", created: 60, changed: 50, updated: 40 },
    { object: "company", created: 50, changed: 60, updated: 40 },
    { object: "deal", created: 50, changed: 100, updated: 50 },
    { object: "ticket", created: 70, changed: 50, updated: 30 },
    { object: "task", created: 50, changed: 49, updated: 0 },
    { object: "activity", created: 50, changed: 0, updated: 0 },
  ];
  for (const { object, created, changed, updated } of perObject) {
    const act =
      object === "task"
        ? () => ({ escalate: update({ priority: "P1" }) })
        : object === "activity"
          ? () => ({ review: update({ subject: "Reviewed" }) })
          : (label: string) => ({ follow: task(label) });
    for (let i = 0; i < created; i++)
      out.push(def(`${object}-created-${i}`, object, { type: "record_created" }, createdCondition(object, i), act(`New ${object}`)));
    for (let i = 0; i < changed; i++) {
      const c = changedTrigger(object, i);
      out.push(def(`${object}-changed-${i}`, object, c.trigger, c.conditions, act(`${object} changed`)));
    }
    for (let i = 0; i < updated; i++)
      out.push(
        def(
          `${object}-updated-${i}`,
          object,
          { type: "record_updated" },
          { field: object === "ticket" ? "assignee_id" : "owner_id", op: "eq", value: `no-such-user-${i}` },
          act(`${object} updated`),
        ),
      );
  }
  if (out.length < total) throw new Error(`the workload defines ${out.length} workflows, fewer than ${total}`);
  return out.slice(0, total);
}

function createdCondition(object: Def["object"], i: number): Def["conditions"] {
  switch (object) {
    case "contact":
      return {
        and: [
          { field: "lifecycle_stage", op: "eq", value: "customer" },
          { field: "source", op: "eq", value: `event-${i}` },
        ],
      };
    case "company":
      return {
        and: [
          { field: "employee_count", op: "gt", value: 1000 + i },
          { field: "country", op: "eq", value: pick(COUNTRIES, i) },
        ],
      };
    case "deal":
      return { field: "amount", op: "gt", value: 100_000 + 1_000 * i };
    case "ticket":
      return {
        and: [
          { field: "priority", op: "eq", value: "P1" },
          { field: "category", op: "eq", value: `category-${i}` },
        ],
      };
    case "task":
      // The benchmark's tasks are P2 "Call …" / "Send …": evaluated on every one, never met.
      return {
        and: [
          { field: "priority", op: "eq", value: "P1" },
          { field: "subject", op: "starts_with", value: `Escalate ${i}` },
        ],
      };
    case "activity":
      return {
        and: [
          { field: "type", op: "eq", value: "call" },
          { field: "duration_minutes", op: "gt", value: 30 + i },
        ],
      };
    default:
      return undefined;
  }
}

function changedTrigger(object: Def["object"], i: number): { trigger: Def["trigger"]; conditions?: Def["conditions"] } {
  switch (object) {
    case "contact":
      return {
        trigger: {
          type: "field_changed",
          field: pick(["status", "lifecycle_stage", "email"], i),
          ...(i % 3 === 2 ? {} : { to: i % 3 === 0 ? "inactive" : "customer" }),
        },
      };
    case "company":
      return {
        trigger: { type: "field_changed", field: pick(["industry", "owner_id", "region"], i) },
        conditions: { field: "country", op: "eq", value: pick(COUNTRIES, i) },
      };
    case "deal":
      return {
        trigger: {
          type: "field_changed",
          field: "stage",
          to: pick(["discovery", "proposal", "negotiation", "closed_won", "closed_lost"], i),
        },
        conditions: { field: "amount", op: "gt", value: 1_000 * i },
      };
    case "ticket":
      return { trigger: { type: "field_changed", field: "status", to: pick(["open", "pending", "resolved", "closed"], i) } };
    case "task":
      return {
        trigger: { type: "field_changed", field: "status", to: pick(["done", "cancelled"], i) },
        conditions: { field: "priority", op: "eq", value: "P1" },
      };
    default:
      return { trigger: { type: "record_updated" } };
  }
}

/** A benchmark event: a lead that enrolls in exactly two workflows. */
export function leadInput(i: number, ownerId: string): Record<string, unknown> {
  return {
    first_name: "Ada",
    last_name: `Bench ${i}`,
    email: `lead-${i}@bench.example`,
    country: pick(COUNTRIES, i),
    source: "web_form",
    score: 50,
    employee_count: 40,
    owner_id: ownerId,
  };
}

/** Buckets of the growth table's workflows: each event matches the workflows of one bucket. */
export const GROWTH_BUCKETS = 100;

/**
 * The growth table's workflows (issue 23 §3): `total` lead `record_created` workflows, workflow i
 * enrolling leads whose source is `growth-<i mod buckets>`, with buckets = min(total, 100) — so
 * that each event matches 1 % of them (one of 10, the smallest set, since a tenth of a workflow
 * cannot match). The others are evaluated and refused on their conditions, which is the
 * matcher's cost as workflows multiply. Each run creates one task.
 */
export function growthSet(total: number): Def[] {
  const buckets = Math.min(total, GROWTH_BUCKETS);
  return Array.from({ length: total }, (_, i) =>
    def(
      `grow-${i}`,
      "lead",
      { type: "record_created" },
      { field: "source", op: "eq", value: `growth-${i % buckets}` },
      { call: task("Call {{ record.first_name }} {{ record.last_name }}") },
    ),
  );
}

/** Workflows of `growthSet(total)` that each growth event matches. */
export const growthMatches = (total: number) => Math.max(1, Math.floor(total / Math.min(total, GROWTH_BUCKETS)));

/** A growth event: a lead whose source picks a bucket, spread over all of them (the rate cap is per workflow). */
export function growthLeadInput(i: number, ownerId: string, total: number): Record<string, unknown> {
  return { ...leadInput(i, ownerId), source: `growth-${i % Math.min(total, GROWTH_BUCKETS)}` };
}
