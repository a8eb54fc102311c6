/**
 * The timeline's order with routing's decisions in it (presentTimeline, pure): newest first;
 * at one instant a decision reads below the owner change it made (routing decides, then
 * writes), and two decisions of one instant keep the store's order (the later id first).
 */
import { describe, expect, it } from "vitest";
import { presentTimeline, timelineItemSchema } from "../../src/api/routes/timeline-schemas.js";
import { assignmentView } from "../../src/app/routing/routing-views.js";
import type { AuditEntry } from "../../src/store/audit-ports.js";
import type { AssignmentRow } from "../../src/store/routing-ports.js";

const T1 = "2026-03-02T10:00:00.000Z";
const T2 = "2026-03-02T10:05:00.000Z";

const decision = (id: string, at: string, outcome: AssignmentRow["outcome"]): AssignmentRow => ({
  workspaceId: "w",
  id,
  recordId: "lead1",
  object: "lead",
  field: "owner_id",
  at,
  outcome,
  userId: outcome === "assigned" ? "dana" : null,
  previousUserId: null,
  source: { kind: "on_create" },
  ruleSet: null,
  rules: [],
  matchedRule: null,
  target: { queue: "q1" },
  queue: { id: "q1", name: "Inbound reps", strategy: "weighted_round_robin", version: 1 },
  candidates: [{ userId: "dana", name: "Dana", eligible: outcome === "assigned", weight: 1 }],
  detail: null,
  fallbacks: [],
  why: outcome,
});

const change = (at: string, action: AuditEntry["action"], field: string): AuditEntry => ({
  workspaceId: "w",
  recordId: "lead1",
  object: "lead",
  action,
  actor: { kind: "system", id: "routing" },
  changes: [{ field, old: null, new: "dana" }],
  at,
  requestId: null,
});

const names = (id: string) => ({ dana: "Dana", lead1: "Lead One" })[id];

function timeline(audit: AuditEntry[], decisions: AssignmentRow[]) {
  return presentTimeline({
    steps: [],
    audit,
    actorNames: new Map(),
    stops: [],
    activities: [],
    assignments: decisions.map((d) => assignmentView(d, names)),
  });
}

const label = (i: ReturnType<typeof timeline>[number]) =>
  i.kind === "assignment" ? `${i.assignment.outcome} ${i.assignment.id}` : i.kind === "change" ? `${i.action} ${i.at}` : i.kind;

describe("the timeline's order with assignments", () => {
  it("puts a decision below the owner change it made and above the creation that led to it, at one instant", () => {
    const audit = [change(T2, "update", "owner_id"), change(T1, "create", "last_name")];
    for (const decisions of [
      [decision("a2", T2, "assigned"), decision("a1", T1, "held")],
      [decision("a1", T1, "held"), decision("a2", T2, "assigned")],
    ]) {
      const items = timeline(audit, decisions);
      for (const item of items) timelineItemSchema.parse(item);
      expect(items.map(label)).toEqual([`update ${T2}`, "assigned a2", "held a1", `create ${T1}`]);
    }
  });

  it("orders two decisions of one instant by id, the later first, and older entries after them", () => {
    const items = timeline([change(T1, "create", "last_name")], [decision("a1", T2, "held"), decision("a3", T2, "assigned")]);
    expect(items.map(label)).toEqual(["assigned a3", "held a1", `create ${T1}`]);
  });

  it("carries the reason as the reasons' route presents it, at the decision's instant", () => {
    const [item] = timeline([], [decision("a1", T1, "held")]);
    expect(item).toEqual({ kind: "assignment", at: T1, assignment: assignmentView(decision("a1", T1, "held"), names) });
  });
});

describe("the timeline's order of one run's steps", () => {
  const step = (runId: string, seq: number, at: string) => ({
    workspaceId: "w",
    runId,
    seq,
    step: `s${seq}`,
    type: "action",
    input: "",
    outcome: "applied",
    why: "because",
    effects: [],
    at,
    durationMs: 0,
    runInput: null,
    recordVersion: null,
    factsDigest: null,
    factsSeen: null,
    workflow: { id: "wf", key: "wf", name: "Escalation" },
  });

  it("reads a run's steps of one instant in the run's order, newest first, whatever order the store gave", () => {
    const items = presentTimeline({
      // As the store may list them: steps committed in the same millisecond, in no particular order.
      steps: [step("r1", 3, T2), step("r1", 4, T2), step("r1", 1, T2), step("r1", 2, T2), step("r0", 1, T1)],
      audit: [],
      actorNames: new Map(),
      stops: [],
      activities: [],
      assignments: [],
    });
    expect(items.map((i) => (i.kind === "workflow_step" ? `${i.run_id}:${i.seq}` : i.kind))).toEqual([
      "r1:4",
      "r1:3",
      "r1:2",
      "r1:1",
      "r0:1",
    ]);
  });
});
