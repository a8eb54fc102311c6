/**
 * A large, realistic workflow for bench:builder: `steps` steps (a multiple of 10) on leads, made of
 * blocks of ten that each use what admins build with — six kinds of action (update fields, a call
 * task, the score, an activity, a notification, an email), an if/else branch, a switch on the
 * status, a delay and a wait for a call with its timeout — each step with its "why", the blocks in
 * a chain so that every step is reachable. Manual trigger: publishing it would enroll nothing.
 */
import type { WorkflowInput } from "../engine/definition.js";

type Steps = WorkflowInput["steps"];

/** The ten step ids of block `b` (`b01-update` …), in the order the block runs them. */
export function blockIds(b: number): string[] {
  const p = `b${String(b).padStart(2, "0")}`;
  return ["update", "fit", "call-task", "score", "pause", "by-status", "note", "tell-owner", "wait-call", "email"].map((s) => `${p}-${s}`);
}

function block(b: number, next: string | undefined): Steps {
  const [update, fit, callTask, score, pause, byStatus, note, tellOwner, waitCall, email] = blockIds(b) as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const then = next ? { next } : {};
  return {
    [update]: {
      type: "action",
      description: `Round ${b}: the lead is being worked.`,
      action: { type: "update_fields", fields: { status: "working" } },
      next: fit,
    },
    [fit]: {
      type: "branch",
      description: "Leads that fit get a call first; the others earn points.",
      rules: [{ when: { field: "score", op: "gt", value: 40 }, next: callTask, label: "fits" }],
      else: score,
    },
    [callTask]: {
      type: "action",
      description: "The owner's first job: call within five minutes.",
      action: {
        type: "create_task",
        subject: "Call {{ record.first_name }} {{ record.last_name }}",
        priority: "P1",
        due_in: { minutes: 5 },
      },
      next: pause,
    },
    [score]: { type: "action", description: "Still warming up.", action: { type: "change_score", by: 5 }, next: pause },
    [pause]: { type: "delay", description: "Give the owner time to act.", duration: { minutes: 15 }, next: byStatus },
    [byStatus]: {
      type: "switch",
      description: "New leads get a note, worked ones a nudge to their owner.",
      field: "status",
      cases: { new: note, working: tellOwner },
      default: waitCall,
    },
    [note]: {
      type: "action",
      description: "Leave a trace on the record.",
      action: { type: "add_activity", activity_type: "note", subject: `Round ${b} started` },
      next: waitCall,
    },
    [tellOwner]: {
      type: "action",
      description: "The owner should know it is their turn.",
      action: { type: "notify", to: { field: "owner_id" }, message: "{{ record.first_name }} is waiting for your call" },
      next: waitCall,
    },
    [waitCall]: {
      type: "wait_for",
      description: "A logged call is what we are waiting for.",
      event: { object: "activity", kind: "created", link: "related_id", where: { field: "type", op: "eq", value: "call" } },
      timeout: { hours: 1 },
      next: email,
      on_timeout: email,
    },
    [email]: {
      type: "action",
      description: "Keep the lead warm by email.",
      action: { type: "send_email", to: { record_email: true }, subject: "Following up", text: "Hello {{ record.first_name }}" },
      ...then,
    },
  };
}

export function largeWorkflow(steps: number): WorkflowInput {
  if (steps < 10 || steps % 10 !== 0) throw new Error(`steps must be a multiple of 10 (got ${steps})`);
  const blocks = steps / 10;
  let all: Steps = {};
  for (let b = 1; b <= blocks; b++) all = { ...all, ...block(b, b < blocks ? blockIds(b + 1)[0] : undefined) };
  return {
    key: `bench-builder-${steps}`,
    name: `Builder benchmark (${steps} steps)`,
    description: "A long nurture sequence, generated to measure the builder on a large canvas.",
    object: "lead",
    trigger: { type: "manual" },
    start: blockIds(1)[0] as string,
    steps: all,
  };
}
