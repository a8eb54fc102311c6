/**
 * The approval step (issue 18) in the builder's pure parts: the palette's default (it parses as
 * the engine's step, with the format's defaults written out, and passes the publish checks on
 * every object), the step in words on the canvas ("Ask VP Sales to approve …", "Approval:
 * discount pct > 20 → VP Sales; otherwise approve automatically"), its three paths — approved,
 * rejected, timed out — as labelled edges that match the engine's successors, the canvas's edits
 * over them, the panel's edits (routes with the default kept last, decisions, how many must
 * approve, the time limit and the timed-out path it opens and closes), and its problems in words.
 */
// biome-ignore-all lint/suspicious/noThenProperty: the approval format names what a time limit does `then`
import { describe, expect, it } from "vitest";
import { fieldsOf as engineFields } from "../../src/crm/custom-fields.js";
import { OBJECTS } from "../../src/crm/objects.js";
import { stepSchema, workflowSchema } from "../../src/engine/definition.js";
import { stepHandler } from "../../src/engine/steps/registry.js";
import { validateWorkflow } from "../../src/engine/validate.js";
import type { ApprovalRoute, StepSpec, WorkflowDefinition } from "../../web/src/components/graph/definition.js";
import { approvalTimeoutWords, levelWords, stepWords } from "../../web/src/components/graph/describe.js";
import { END_ID, TRIGGER_ID, workflowGraph } from "../../web/src/components/graph/graph-model.js";
import { diff } from "../../web/src/pages/builder/model/diff.js";
import { deleteStep, type EditResult, insertStep, mainPath, outSlots, replaceStep } from "../../web/src/pages/builder/model/edit.js";
import { paletteItem } from "../../web/src/pages/builder/model/palette.js";
import {
  addRoute,
  canMove,
  moveRoute,
  startApprover,
  withDecision,
  withRequireMode,
  withTimeoutMode,
} from "../../web/src/pages/builder/panels/steps/approval/approval-edit.js";
import { problemPlace } from "../../web/src/pages/builder/problem-words.js";

type Approval = Extract<StepSpec, { type: "approval" }>;

const ok = (r: EditResult): WorkflowDefinition => {
  if (!r.ok) throw new Error(r.reason);
  return r.definition;
};

const publishProblems = (def: unknown) => {
  const r = validateWorkflow(def, (o) => engineFields(o, []));
  return r.ok ? [] : r.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

/** docs/approvals.md's discount policy: over 20 % to the VP of Sales; otherwise approved at once, the owner's manager told. */
const DISCOUNT: Approval = {
  type: "approval",
  summary: "Discount {{ record.discount_pct }}%",
  fields: ["discount_pct", "amount"],
  lock: "fields",
  submitter: { field: "owner_id" },
  routes: [
    {
      label: "Big discount",
      when: { field: "discount_pct", op: "gt", value: 20 },
      levels: [{ name: "VP Sales", approvers: [{ user_id: "u-vp" }], require: "any" }],
    },
    { auto: "approve", notify: { manager_of: "owner_id" } },
  ],
  max_rounds: 5,
  on_approved: "won",
};

const deal = (approval: Approval): WorkflowDefinition => ({
  key: "discount-approval",
  name: "Discount approval",
  object: "deal",
  trigger: { type: "field_changed", field: "discount_pct" },
  start: "approval",
  steps: {
    approval,
    won: { type: "action", action: { type: "update_fields", fields: { stage: "negotiation" } }, next: "done" },
    done: { type: "end" },
  },
});

describe("the palette's approval", () => {
  it("parses as the engine's step on every object, defaults written out, and passes the publish checks", () => {
    const item = paletteItem("approval");
    expect(item).toMatchObject({ label: "Approval", group: "Decide", idBase: "approval" });
    for (const object of Object.keys(OBJECTS)) {
      const spec = item.make({ object, end: () => "end" });
      expect(stepSchema.parse(spec), object).toEqual(spec);
    }
    const lead = item.make({ object: "lead", end: () => "end" });
    expect(lead).toEqual({
      type: "approval",
      summary: "Approve lead {{ record.first_name }} {{ record.last_name }}",
      fields: [],
      lock: "fields",
      submitter: { field: "owner_id" },
      routes: [{ levels: [{ approvers: [{ manager_of: "owner_id" }], require: "any" }] }],
      max_rounds: 5,
    });
    for (const object of ["lead", "deal", "ticket", "company", "task"]) {
      const empty: WorkflowDefinition = {
        key: "approve-it",
        name: "A",
        object,
        trigger: { type: "record_created" },
        start: "end",
        steps: { end: { type: "end" } },
      };
      const def = ok(insertStep(empty, [{ source: TRIGGER_ID, path: "start" }], "approval", { object }));
      expect(def.steps.approval).toMatchObject({ on_approved: "end" });
      expect(publishProblems(def), object).toEqual([]);
    }
  });
});

describe("the approval in words", () => {
  it("one route asks its levels to approve the summary; several say each route, the default last", () => {
    expect(stepWords(DISCOUNT)).toEqual({
      title: "Approval: discount pct > 20 → VP Sales; otherwise approve automatically",
      detail: "“Discount {{ record.discount_pct }}%”",
    });
    const vpOnly: Approval = { ...DISCOUNT, routes: [{ levels: [{ name: "VP Sales", approvers: [{ user_id: "u-vp" }] }] }] };
    expect(stepWords(vpOnly)).toEqual({ title: "Ask VP Sales to approve “Discount {{ record.discount_pct }}%”", detail: "no time limit" });
    const timed: Approval = { ...vpOnly, timeout: { business: { days: 2 }, then: "escalate", escalate_to: [{ role: "admin" }] } };
    expect(stepWords(timed).detail).toBe("if undecided after 2 business days: escalate to every admin");
    expect(approvalTimeoutWords({ after: { hours: 4 }, then: "path" })).toBe("if undecided after 4 h: take the timed-out path");
    expect(stepWords({ ...DISCOUNT, routes: [{ auto: "reject" }] }).title).toBe(
      "Reject “Discount {{ record.discount_pct }}%” automatically",
    );
  });

  it("a level without a name says who, as many as it needs", () => {
    const both = [{ manager_of: "owner_id" }, { team_lead_of: "owner_id" }];
    expect(levelWords({ approvers: both })).toBe("the manager of the owner or the team lead of the owner");
    expect(levelWords({ approvers: both, require: "all" })).toBe("the manager of the owner and the team lead of the owner");
    expect(levelWords({ approvers: [...both, { queue: "Deal desk" }], require: 2 })).toBe(
      "2 of the manager of the owner, the team lead of the owner and queue Deal desk",
    );
    expect(levelWords({ approvers: [] })).toBe("nobody yet");
  });
});

describe("the approval's paths on the graph", () => {
  it("approved, rejected and timed out are labelled edges; one edge says both when two paths meet", () => {
    const m = workflowGraph(deal(DISCOUNT));
    const from = m.edges.filter((e) => e.source === "approval");
    expect(from.map((e) => [e.target, e.kind, e.label])).toEqual([
      ["won", "approved", "approved"],
      [END_ID, "rejected", "rejected"],
    ]);
    expect(m.nodes.find((n) => n.id === "approval")).toMatchObject({ kind: "approval" });
    const timed = deal({ ...DISCOUNT, on_rejected: "done", timeout: { after: { days: 2 }, then: "path" }, on_timeout: "done" });
    const t = workflowGraph(timed).edges.filter((e) => e.source === "approval");
    expect(t.map((e) => [e.target, e.label])).toEqual([
      ["won", "approved"],
      ["done", "rejected or timed out"],
    ]);
    // A time limit that approves or rejects goes on along those paths: no timed-out path.
    const decides = deal({ ...DISCOUNT, timeout: { after: { days: 2 }, then: "reject" } });
    expect(workflowGraph(decides).edges.some((e) => e.kind === "timeout")).toBe(false);
  });

  it("the edges drawn are the engine's successors, whatever is written", () => {
    const variants: Approval[] = [
      DISCOUNT,
      { ...DISCOUNT, on_rejected: "done" },
      { ...DISCOUNT, timeout: { after: { days: 1 }, then: "escalate", escalate_to: [{ role: "manager" }] }, on_timeout: "done" },
      { ...DISCOUNT, on_approved: undefined, on_rejected: "won", on_timeout: "done" },
    ];
    for (const v of variants) {
      const def = deal(v);
      const parsed = workflowSchema.parse(def).steps.approval as never;
      const engine = new Set(
        stepHandler(parsed)
          .successors(parsed)
          .map((s) => s.target),
      );
      const drawn = new Set(
        workflowGraph(def)
          .edges.filter((e) => e.source === "approval" && e.target !== END_ID)
          .map((e) => e.target),
      );
      expect(drawn).toEqual(engine);
    }
  });
});

describe("editing around an approval", () => {
  it("inserted on an arrow, its approved path goes on to where the arrow led; deleted, what led to it goes on there", () => {
    const before = deal(DISCOUNT);
    const def = ok(insertStep(before, [{ source: "won", path: "next" }], "approval", { object: "deal" }));
    const added = def.steps["approval-2"] as Approval;
    expect(added.on_approved).toBe("done");
    expect(added.on_rejected).toBeUndefined();
    expect(mainPath(added)).toBe("on_approved");
    expect(outSlots(added).map((o) => o.path)).toEqual(["on_approved", "on_rejected"]);
    expect(ok(deleteStep(def, "approval-2", "reconnect")).steps.won).toMatchObject({ next: "done" });
  });

  it("a time limit that takes the timed-out path opens it to a new end step; one that decides closes it again", () => {
    const def = deal(DISCOUNT);
    const timed = replaceStep(def, "approval", { ...DISCOUNT, timeout: { after: { days: 2 }, then: "path", escalations: 1 } });
    const step = timed.steps.approval as Approval;
    expect(step.on_timeout).toBe("end");
    expect(timed.steps.end).toEqual({ type: "end" });
    expect(publishProblems(timed)).toEqual([]);
    const back = replaceStep(timed, "approval", { ...step, timeout: { after: { days: 2 }, then: "approve", escalations: 1 } });
    expect((back.steps.approval as Approval).on_timeout).toBeUndefined();
    expect(back.steps.end).toBeUndefined();
    // A timed-out path that leads to a real step (or to an end another path shares) stays.
    const shared = { ...step, on_rejected: "end" };
    const kept = replaceStep({ ...timed, steps: { ...timed.steps, approval: shared } }, "approval", { ...shared, timeout: undefined });
    expect((kept.steps.approval as Approval).on_timeout).toBe("end");
    expect(kept.steps.end).toBeDefined();
  });
});

describe("the approval panel's edits", () => {
  const when = { field: "amount", op: "gt", value: 10000 };
  const routes = DISCOUNT.routes;

  it("adds a route before the default, which stays last; only routes with a condition move", () => {
    const added = addRoute(routes, when);
    expect(added.index).toBe(1);
    expect(added.routes.map((r) => r.when ?? "default")).toEqual([routes[0]?.when, when, "default"]);
    expect(added.routes[1]?.levels).toEqual([{ approvers: [], require: "any" }]);
    expect(canMove(added.routes, 1, -1)).toBe(true);
    expect(canMove(added.routes, 1, 1)).toBe(false);
    expect(canMove(added.routes, 2, -1)).toBe(false);
    expect(moveRoute(added.routes, 1, -1).map((r) => r.when ?? "default")).toEqual([when, routes[0]?.when, "default"]);
    // No default yet (its condition kept): a new route goes last.
    const noDefault: ApprovalRoute[] = [{ when, auto: "approve" }];
    expect(addRoute(noDefault, when).index).toBe(1);
  });

  it("switches a route between levels and an automatic decision, keeping whom it tells", () => {
    const auto = withDecision({ when, levels: [{ approvers: [{ user_id: "u" }] }], label: "Big" }, "approve");
    expect(auto).toEqual({ when, label: "Big", auto: "approve" });
    const told = withDecision({ auto: "approve", notify: { manager_of: "owner_id" } }, "reject");
    expect(told).toEqual({ auto: "reject", notify: { manager_of: "owner_id" } });
    expect(withDecision(told, "levels")).toEqual({ levels: [{ approvers: [], require: "any" }] });
  });

  it("how many must approve, and new approvers of each kind", () => {
    const two = { approvers: [{ user_id: "a" }, { user_id: "b" }, { user_id: "c" }] };
    expect(withRequireMode(two, "number").require).toBe(2);
    expect(withRequireMode({ approvers: [{ user_id: "a" }] }, "number").require).toBe(1);
    expect(withRequireMode({ ...two, require: 3 }, "number").require).toBe(3);
    expect(withRequireMode(two, "all").require).toBe("all");
    expect(startApprover("manager_of", "owner_id")).toEqual({ manager_of: "owner_id" });
    expect(startApprover("role", "owner_id")).toEqual({ role: "manager" });
    expect(startApprover("queue", "owner_id")).toEqual({ queue: "" });
  });

  it("the time limit's kinds keep what it then does and its calendar", () => {
    const t = withTimeoutMode(undefined, "after");
    expect(t).toEqual({ then: "path", escalations: 1, after: { days: 2 } });
    const hours = withTimeoutMode({ ...t, then: "reject", business: { hours: 4, calendar: { of: "owner" } } } as never, "business_days");
    expect(hours).toEqual({ then: "reject", escalations: 1, business: { days: 2, calendar: { of: "owner" } } });
    expect(withTimeoutMode(t, "none")).toBeUndefined();
  });
});

describe("the approval's problems and changes in words", () => {
  it("names the route, the level and its approvers", () => {
    const def = deal(DISCOUNT);
    expect(problemPlace({ path: "steps.approval.routes.0.levels.0.approvers", code: "required", message: "" }, def)).toBe(
      "Step “approval” (approval), route 1 › level 1 › approvers",
    );
    expect(problemPlace({ path: "steps.approval.on_timeout", code: "required", message: "" }, def)).toBe(
      "Step “approval” (approval), path after the timeout",
    );
    // The publish check's own path for a level with nobody in it.
    const empty = deal({
      ...DISCOUNT,
      routes: [{ ...DISCOUNT.routes[0], levels: [{ approvers: [] }] }, DISCOUNT.routes[1] as ApprovalRoute],
    });
    expect(publishProblems(empty)).toEqual(["steps.approval.routes.0.levels.0.approvers: a level needs at least one approver"]);
  });

  it("a version diff tells where the approved path leads apart from the settings", () => {
    const d = diff(deal(DISCOUNT), deal({ ...DISCOUNT, on_approved: "done", max_rounds: 3 }));
    expect(d.changed).toEqual([
      {
        id: "approval",
        settings: [{ path: "max_rounds", before: "5", after: "3" }],
        successors: [{ path: "on_approved", before: "step won", after: "step done" }],
      },
    ]);
  });
});
