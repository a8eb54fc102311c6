/**
 * What applying a decision's commands did, one effect per command carried out, for the run log
 * (`run_steps.effects`, shown on the run and the record's timeline). Snake-case keys: this is the
 * stored and served shape.
 */
import type { ObjectName } from "../crm/fields.js";
import type { NewOutboxItem } from "../store/outbox-ports.js";

export type Effect =
  | { command: "update_record"; record_id: string; fields: Record<string, unknown> }
  | { command: "create_record"; object: ObjectName; record_id: string | undefined; fields: Record<string, unknown> }
  /** The owner chosen, and why (the strategy's reason). */
  | {
      command: "assign_owner";
      field: string;
      /** Null when a queue held the record (no one free yet). */
      user_id: string | null;
      why: string;
      /** Routed decisions (a queue or a rule set): the reason record, and whether it was assigned or held. */
      assignment_id?: string;
      outcome?: "assigned" | "held";
    }
  | { command: "change_score"; field: string; from: number; to: number }
  | { command: "notify"; notification_id: string; user_id: string; why: string }
  /** `added` false: the same problem was open already (`item_id` is that item). */
  | { command: "queue_review"; item_id: string | null; added: boolean; assignee_id: string | null }
  /** `merged` false: nothing to merge into (`why` says what was looked for); the run goes on. */
  | { command: "merge_records"; merged: boolean; merge_id: string | null; survivor_id: string | null; why: string }
  | { command: "start_timer"; timer_id: string; due_at: string }
  | { command: "cancel_timer"; timer_id: string }
  | { command: "enroll"; workflow: string; run_id: string }
  | { command: "unenroll"; workflow: string; runs: string[] }
  /** An approval request opened: who was asked first, and who was left out and why (the submitter, someone away). */
  | { command: "open_approval"; request_id: string; round: number; asked: string[]; notes: string[] }
  | { command: "escalate_approval"; request_id: string; added: string[] }
  /** `closed` false: the request was no longer pending (decided just before). */
  | { command: "close_approval"; request_id: string; status: string; closed: boolean }
  /** A `classify` step's prediction, kept (`prediction_id`); `applied`: written into the field. */
  | {
      command: "record_prediction";
      prediction_id: string;
      model: string;
      field: string;
      value: string;
      confidence: number;
      threshold: number;
      applied: boolean;
      reasons: string[];
    }
  /** Put on the outbox (`outbox_id` null: the key was there already) … */
  | {
      command: "enqueue_external";
      outbox_id: string | null;
      key: string;
      kind: NewOutboxItem["kind"];
      connector: NewOutboxItem["connector"];
    }
  /** … or not, and why: the action's result is a failure at once. */
  | { command: "enqueue_external"; key: string; error: string };
