/**
 * What a step writes to its run's own record, declared by each step type (`StepHandler.writes`)
 * and, for actions, by each action type (`ACTION_WRITES`, typed over the action union: an action
 * added to the format without a line here is a compile error). Publish reads these to find two
 * workflows writing one field with different values, and workflows that trigger each other
 * (engine/conflicts). Records a step creates are other records and are not listed.
 */
import type { ActionSpec } from "../definition.js";
import { isTemplate } from "../templates.js";

/** The value a write leaves: known at publish, worked out when the step runs, or added to the old one. */
export type WrittenValue = { kind: "constant"; value: unknown } | { kind: "computed"; what: string } | { kind: "delta"; by: number };

export interface FieldWrite {
  field: string;
  value: WrittenValue;
}

type ActionType = ActionSpec["type"];
const none = (): FieldWrite[] => [];

function assignTarget(to: Extract<ActionSpec, { type: "assign_owner" }>["to"]): WrittenValue {
  if ("user_id" in to) return { kind: "constant", value: to.user_id };
  if ("round_robin_team" in to) return { kind: "computed", what: `the next of team ${to.round_robin_team}` };
  if ("queue" in to) return { kind: "computed", what: `the choice of queue ${to.queue}` };
  if ("rule_set" in to) return { kind: "computed", what: `the choice of rule set ${to.rule_set}` };
  if ("company_owner" in to) return { kind: "computed", what: "the company's owner" };
  const [how, field] = Object.entries(to)[0] ?? ["field", "?"];
  return { kind: "computed", what: how === "field" ? `the user in ${field}` : `the ${how.replaceAll("_", " ")} ${field}` };
}

export const ACTION_WRITES: { readonly [T in ActionType]: (a: Extract<ActionSpec, { type: T }>) => FieldWrite[] } = {
  update_fields: (a) =>
    Object.entries(a.fields).map(([field, value]) => ({
      field,
      value: isTemplate(value) ? { kind: "computed", what: `the template ${JSON.stringify(value)}` } : { kind: "constant", value },
    })),
  assign_owner: (a) => [{ field: a.field, value: assignTarget(a.to) }],
  change_score: (a) => [{ field: a.field, value: { kind: "delta", by: a.by } }],
  http_request: (a) =>
    Object.keys(a.map_response ?? {}).map((field) => ({
      field,
      value: { kind: "computed", what: `the response of connector ${a.connector}` },
    })),
  create_task: none,
  create_record: none,
  add_activity: none,
  enroll: none,
  unenroll: none,
  notify: none,
  add_to_review_queue: none,
  // The run's record is folded into another (it leaves the lists); the fields written are the other record's.
  merge_records: none,
  send_chat: none,
  send_email: none,
};

/** The fields an action writes on the run's record. */
export function actionWrites(a: ActionSpec): FieldWrite[] {
  // The entry under a.type is the one for a; TypeScript does not correlate a key with its value.
  return (ACTION_WRITES[a.type] as (a: ActionSpec) => FieldWrite[])(a);
}

/** A write in words: `"won"`, `+10`, `the next of team t1`. */
export function writtenInWords(v: WrittenValue): string {
  if (v.kind === "constant") return JSON.stringify(v.value ?? null);
  if (v.kind === "delta") return v.by >= 0 ? `+${v.by}` : `${v.by}`;
  return v.what;
}
