/**
 * What the engine asks the runtime to do: data, not calls. Internal commands are applied in the
 * step's transaction; `enqueue_external` goes on the outbox and its outcome comes back as an
 * `action_result` input.
 */
import type { ObjectName } from "../crm/fields.js";
import type { ActionSpec, PersonSpec } from "./definition.js";

export type AssignTarget = Extract<ActionSpec, { type: "assign_owner" }>["to"];

export type Command =
  | { type: "update_record"; fields: Record<string, unknown> }
  | { type: "create_record"; object: ObjectName; fields: Record<string, unknown>; owner?: PersonSpec | undefined }
  | { type: "assign_owner"; field: string; to: AssignTarget; excludeCurrent: boolean }
  | { type: "change_score"; field: string; by: number }
  | { type: "enroll"; workflow: string }
  | { type: "unenroll"; workflow: string }
  | { type: "notify"; to: PersonSpec; message: string }
  | { type: "start_timer"; timerId: string; dueAt: string }
  | { type: "cancel_timer"; timerId: string }
  | { type: "enqueue_external"; key: string; action: ActionSpec };
