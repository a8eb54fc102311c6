/**
 * The trigger kinds of the format in the admin's words, and the settings a kind starts with when
 * the person switches to it (the fields it needs, filled with the object's likeliest choice, so
 * that the panel shows a complete trigger to adjust). Typed over the format's kinds: a kind left
 * out is a compile error.
 */
import type { TriggerSpec } from "../../../../components/graph/definition.js";
import type { FieldInfo } from "../../../../records/model.js";

export type TriggerKind = TriggerSpec["type"];

export const TRIGGER_KINDS: { [K in TriggerKind]: (noun: string) => string } = {
  record_created: (n) => `When a ${n} is created`,
  record_updated: (n) => `When a ${n} is updated`,
  record_deleted: (n) => `When a ${n} is deleted`,
  field_changed: () => "When a field changes (from / to a value)",
  relative_date: () => "At a time before or after a date field",
  inactivity: (n) => `When a ${n} has had no activity for some days`,
  score_threshold: () => "When a score crosses a threshold",
  external: () => "When an outside event arrives (a form, a webhook)",
  manual: () => "When someone starts it by hand",
  review_queued: (n) => `When a ${n} enters the review queue`,
  schedule: () => "On a schedule",
  sla: () => "When an SLA warns, is breached or escalates",
  email_engaged: () => "When someone opens an email or clicks a link in it",
};

const first = (fields: readonly FieldInfo[], ok: (f: FieldInfo) => boolean, prefer: string) =>
  fields.find((f) => f.name === prefer && ok(f))?.name ?? fields.find(ok)?.name ?? prefer;

export const isDateField = (f: FieldInfo) => f.type === "date" || f.type === "datetime";
export const isNumberField = (f: FieldInfo) => f.type === "integer" || f.type === "number";

export function defaultTrigger(kind: TriggerKind, fields: readonly FieldInfo[]): TriggerSpec {
  const own = fields.filter((f) => !f.managed || f.name === "last_activity_at");
  switch (kind) {
    case "record_created":
    case "record_deleted":
    case "manual":
    case "review_queued":
      return { type: kind };
    case "record_updated":
      return { type: kind };
    case "field_changed":
      return { type: kind, field: first(own, (f) => f.type === "enum", "status") };
    case "relative_date":
      return { type: kind, field: first(fields, isDateField, "close_date"), offset: { days: 0 } };
    case "inactivity":
      return { type: kind, days: 30 };
    case "score_threshold":
      return { type: kind, field: first(fields, isNumberField, "score"), threshold: 50, direction: "up" };
    case "external":
      return { type: kind, key: "" };
    case "schedule":
      return { type: kind, cron: "0 9 * * 1", time_zone: "UTC" };
    case "sla":
      // The policy is chosen in the panel (the object's policies come from the API).
      return { type: kind, policy: "", milestones: ["breach"] };
    case "email_engaged":
      return { type: kind, on: ["opened"] };
  }
}
