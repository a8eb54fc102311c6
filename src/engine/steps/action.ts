/**
 * `action`: an internal action becomes commands applied in the step's transaction; an external
 * one goes on the outbox and the run waits for its `action_result`.
 */
import { assertNever } from "../../crm/never.js";
import type { Command } from "../commands.js";
import type { Facts } from "../conditions.js";
import { type ActionSpec, EXTERNAL_ACTIONS } from "../definition.js";
import { waiting } from "../run-state.js";
import { durationMs } from "../time.js";
import { goTo, logOf, render, renderAll, type StepHandler } from "./step.js";

type ExternalAction = Extract<ActionSpec, { type: (typeof EXTERNAL_ACTIONS)[number] }>;
const isExternal = (a: ActionSpec): a is ExternalAction => (EXTERNAL_ACTIONS as readonly string[]).includes(a.type);

export const actionStep: StepHandler<"action"> = {
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
    default:
      return assertNever(a, "action");
  }
}
