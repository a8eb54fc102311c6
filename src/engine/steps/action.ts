/**
 * `action`: an internal action becomes commands applied in the step's transaction; an external
 * one goes on the outbox and the run waits for its `action_result`.
 */
import type { ObjectName } from "../../crm/fields.js";
import type { IssuePath } from "../../crm/issues.js";
import { assertNever } from "../../crm/never.js";
import type { Checker } from "../checker.js";
import type { Command } from "../commands.js";
import type { Facts } from "../conditions.js";
import { type ActionSpec, EXTERNAL_ACTIONS } from "../definition.js";
import { waiting } from "../run-state.js";
import { durationMs } from "../time.js";
import { goTo, logOf, render, renderAll, type StepHandler } from "./step.js";
import { actionWrites } from "./writes.js";

type ExternalAction = Extract<ActionSpec, { type: (typeof EXTERNAL_ACTIONS)[number] }>;
const isExternal = (a: ActionSpec): a is ExternalAction => (EXTERNAL_ACTIONS as readonly string[]).includes(a.type);

export const actionStep: StepHandler<"action"> = {
  waits: false,
  writes: (spec) => actionWrites(spec.action),
  successors: (spec) => [
    ...(spec.next ? [{ target: spec.next, path: ["next"] }] : []),
    ...(spec.on_failure ? [{ target: spec.on_failure, path: ["on_failure"] }] : []),
  ],
  check: (spec, { ck, at, object, hasWorkflow }) => checkAction(ck, spec.action, [...at, "action"], object, hasWorkflow),
  compile: (id, spec) => ({ id, spec }),
  execute: (step, { state, facts, ctx, recordGone }) => {
    const a = step.spec.action;
    if (isExternal(a)) {
      const key = `${ctx.runId}:${step.id}:${ctx.seq}`;
      return {
        state: waiting(step.id, { kind: "action", key }, state.stepsTaken),
        commands: [{ type: "enqueue_external", key, action: a }],
        log: logOf(step, "enqueued", `${a.type} placed on the outbox with idempotency key ${key}`),
      };
    }
    const commands = internalCommands(a, facts, ctx.nowMs, recordGone);
    return { state: goTo(state.stepsTaken, step.spec.next), commands, log: logOf(step, "applied", `${a.type}`) };
  },
};

/** `recordGone`: the run's record was deleted (a record_deleted trigger); new records cannot point at it. */
function internalCommands(a: Exclude<ActionSpec, ExternalAction>, facts: Facts, nowMs: number, recordGone: boolean): Command[] {
  const recordId = String(facts.record.id);
  switch (a.type) {
    case "update_fields":
      return [{ type: "update_record", fields: renderAll(a.fields, facts) }];
    case "create_task":
      return [
        {
          type: "create_record",
          object: "task",
          fields: {
            subject: render(a.subject, facts),
            ...(a.description ? { description: render(a.description, facts) } : {}),
            priority: a.priority,
            // A task about a deleted record points at nothing (its subject says what it was).
            ...(recordGone ? {} : { related_id: recordId }),
            ...(a.due_in ? { due_at: new Date(nowMs + durationMs(a.due_in)).toISOString() } : {}),
          },
          owner: a.owner ?? { field: "owner_id" },
        },
      ];
    case "create_record": {
      const copied = Object.fromEntries(
        Object.entries(a.copy)
          .map(([to, from]) => [to, facts.record[from] ?? null])
          .filter(([, v]) => v !== null),
      );
      return [
        {
          type: "create_record",
          object: a.object,
          fields: { ...copied, ...renderAll(a.fields, facts), ...(a.link_field ? { [a.link_field]: recordId } : {}) },
        },
      ];
    }
    case "assign_owner":
      return [{ type: "assign_owner", field: a.field, to: a.to, excludeCurrent: a.exclude_current }];
    case "add_activity":
      return [
        {
          type: "create_record",
          object: "activity",
          fields: {
            type: a.activity_type,
            subject: render(a.subject, facts),
            ...(a.body ? { body: render(a.body, facts) } : {}),
            related_id: recordId,
            occurred_at: new Date(nowMs).toISOString(),
          },
        },
      ];
    case "change_score":
      return [{ type: "change_score", field: a.field, by: a.by }];
    case "enroll":
      return [{ type: "enroll", workflow: a.workflow }];
    case "unenroll":
      return [{ type: "unenroll", workflow: a.workflow }];
    case "notify":
      return [{ type: "notify", to: a.to, message: String(render(a.message, facts)) }];
    case "add_to_review_queue":
      return [{ type: "queue_review", reason: String(render(a.reason, facts)), label: a.reason, assignTo: a.assign_to }];
    case "merge_records":
      return [
        {
          type: "merge_records",
          into:
            "record_id" in a.into
              ? { recordId: String(render(a.into.record_id, facts)).trim() }
              : { bestDuplicate: true, minScore: a.into.min_score ?? 0 },
        },
      ];
    default:
      return assertNever(a, "action");
  }
}

/** Publish-time checks of an action against the object's fields. */
function checkAction(ck: Checker, a: ActionSpec, p: IssuePath, object: ObjectName, hasWorkflow: (key: string) => boolean) {
  switch (a.type) {
    case "update_fields":
      ck.writes(object, a.fields, [...p, "fields"]);
      break;
    case "create_task":
      ck.template(a.subject, [...p, "subject"]);
      ck.template(a.description, [...p, "description"]);
      if (a.owner) ck.person(a.owner, [...p, "owner"]);
      break;
    case "add_activity":
      ck.template(a.subject, [...p, "subject"]);
      ck.template(a.body, [...p, "body"]);
      break;
    case "create_record": {
      ck.writes(a.object, a.fields, [...p, "fields"]);
      for (const [target, source] of Object.entries(a.copy)) {
        ck.field(target, [...p, "copy", target], a.object, false);
        ck.field(source, [...p, "copy", target], object);
      }
      if (a.link_field) {
        const f = ck.field(a.link_field, [...p, "link_field"], a.object, false);
        if (f && !(f.type === "reference" && f.references?.includes(object)))
          ck.push([...p, "link_field"], "invalid_value", `"${a.link_field}" of ${a.object} cannot point at a ${object}`);
      }
      break;
    }
    case "assign_owner":
      ck.userField(a.field, [...p, "field"]);
      if ("field" in a.to || "manager_of" in a.to || "team_lead_of" in a.to || "on_call_of" in a.to) ck.person(a.to, [...p, "to"]);
      if ("company_owner" in a.to) {
        const f = ck.field("company_id", [...p, "to"], object, false);
        if (!f) ck.push([...p, "to"], "invalid_value", `${object} has no company to take the owner from`);
      }
      break;
    case "change_score": {
      const f = ck.field(a.field, [...p, "field"], object, false);
      if (f && f.type !== "integer" && f.type !== "number") ck.push([...p, "field"], "invalid_value", `"${a.field}" is not a number field`);
      break;
    }
    case "notify":
      ck.person(a.to, [...p, "to"]);
      ck.template(a.message, [...p, "message"]);
      break;
    case "add_to_review_queue":
      ck.template(a.reason, [...p, "reason"]);
      if (a.assign_to) ck.person(a.assign_to, [...p, "assign_to"]);
      break;
    case "merge_records":
      if ("record_id" in a.into) ck.template(a.into.record_id, [...p, "into", "record_id"]);
      break;
    case "enroll":
    case "unenroll":
      if (!hasWorkflow(a.workflow)) ck.push([...p, "workflow"], "invalid_reference", `no workflow with key "${a.workflow}"`);
      break;
    case "send_chat":
      ck.template(a.text, [...p, "text"], externalRoots(ck, object));
      break;
    case "send_email":
      checkEmail(ck, a, p, object);
      break;
    case "http_request": {
      const roots = externalRoots(ck, object);
      ck.template(a.path, [...p, "path"], roots);
      for (const [name, v] of Object.entries(a.headers ?? {})) ck.template(v, [...p, "headers", name], roots);
      ck.templatesIn(a.body, [...p, "body"], roots);
      for (const field of Object.keys(a.map_response ?? {})) {
        const f = ck.field(field, [...p, "map_response", field], object, false);
        if (f?.managed) ck.push([...p, "map_response", field], "managed_field", `"${field}" is maintained by Handoff`);
      }
      break;
    }
    default:
      assertNever(a, "action");
  }
}

/** What an email template may read besides the record: its owner and its company. */
export const EMAIL_OWNER_FIELDS = ["name", "email", "calendar_link"] as const;

/**
 * What templates of external actions (rendered at enqueue over the outbox view) may read beyond
 * the record: the owner's name, email and calendar link, and the record's company.
 */
export function externalRoots(ck: Checker, object: ObjectName): Record<string, readonly string[]> {
  const extra: Record<string, readonly string[]> = {};
  if (ck.hasField(object, "owner_id")) extra.owner = EMAIL_OWNER_FIELDS;
  // A company's own templates read it as `company` too (the outbox view does the same).
  if (object === "company" || ck.hasField(object, "company_id")) extra.company = ck.fieldNames("company");
  return extra;
}

function checkEmail(ck: Checker, a: Extract<ActionSpec, { type: "send_email" }>, p: IssuePath, object: ObjectName) {
  if ("record_email" in a.to) ck.field("email", [...p, "to"], object, false);
  else ck.person(a.to, [...p, "to"]);
  if (a.html === undefined && a.text === undefined) ck.push(p, "required", "an email needs a body: html, text or both");
  const hasOwner = ck.hasField(object, "owner_id");
  if (a.reply_to_owner && !hasOwner) ck.push([...p, "reply_to_owner"], "invalid_value", `${object} has no owner to reply to`);
  const extra = externalRoots(ck, object);
  ck.template(a.subject, [...p, "subject"], extra);
  ck.template(a.text, [...p, "text"], extra);
  ck.template(a.html, [...p, "html"], extra);
  // `raw` would undo the escaping that keeps record values from adding markup.
  if (a.html && /\|\s*raw\b/.test(a.html)) ck.push([...p, "html"], "invalid_value", "the raw filter is not allowed in an email's html");
}
