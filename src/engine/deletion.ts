/**
 * Workflows triggered by `record_deleted` run on the record's last state: steps read it as it was
 * (the runtime rebuilds it from the deletion's audit entry), but nothing can write it any more.
 * Steps that would are refused at publish, each at its path — and so is an approval, which would
 * ask about, lock and wait on a record that is gone; notifying, calling out (email, HTTP, chat),
 * waiting and creating other records work.
 */
import type { Issue } from "../crm/issues.js";
import type { ActionSpec, WorkflowDefinition } from "./definition.js";

/** Why an action would write the deleted record (and what field of it says so), or undefined. */
function writesRecord(a: ActionSpec): { why: string; at?: string } | undefined {
  switch (a.type) {
    case "update_fields":
      return { why: "update_fields writes the record's fields" };
    case "assign_owner":
      return { why: "assign_owner writes the record's owner" };
    case "change_score":
      return { why: "change_score writes the record's score" };
    case "add_activity":
      return { why: "add_activity adds an activity to the record (and moves its last activity)" };
    case "enroll":
      return { why: "enroll starts another workflow on the record" };
    case "create_record":
      return a.link_field ? { why: `link_field points the new ${a.object} at the record`, at: "link_field" } : undefined;
    case "http_request":
      return a.map_response && Object.keys(a.map_response).length > 0
        ? { why: "map_response writes the response into the record", at: "map_response" }
        : undefined;
    case "add_to_review_queue":
      return { why: "add_to_review_queue puts the record in the review queue" };
    case "merge_records":
      return { why: "merge_records merges the record, which is gone" };
    case "create_task":
    case "unenroll":
    case "notify":
    case "send_chat":
    case "send_email":
      return undefined;
    default: {
      const never: never = a;
      return never;
    }
  }
}

/** The steps of a deletion workflow that would write the deleted record; empty for other triggers. */
export function deletionIssues(def: WorkflowDefinition): Issue[] {
  if (def.trigger.type !== "record_deleted") return [];
  const issues: Issue[] = [];
  for (const [id, step] of Object.entries(def.steps)) {
    // An approval asks people to decide about the record, locks its fields and waits on it: a
    // record that is gone can be neither shown, locked nor changed, and its request would only
    // be cancelled ("the record was deleted") the moment it opened.
    if (step.type === "approval") {
      issues.push({
        path: ["steps", id],
        code: "invalid_value",
        message: `an approval step asks people to decide about the ${def.object}, but this workflow runs when the ${def.object} is deleted: the record is gone, there is nothing left to approve or lock (notify someone or create a task instead)`,
      });
      continue;
    }
    if (step.type !== "action") continue;
    const w = writesRecord(step.action);
    if (!w) continue;
    issues.push({
      path: ["steps", id, "action", ...(w.at ? [w.at] : [])],
      code: "invalid_value",
      message: `${w.why}, but this workflow runs when the ${def.object} is deleted: it can read the record's last state, not change it (notify, call out or create other records instead)`,
    });
  }
  return issues;
}

/** Whether runs of this workflow see a record that no longer exists (tasks then point at nothing). */
export const runsOnDeletedRecord = (def: WorkflowDefinition) => def.trigger.type === "record_deleted";
