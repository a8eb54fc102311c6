/**
 * The builder's editing model (web/src/pages/builder/model/edit.ts, palette.ts): inserting,
 * deleting, moving, copying and pasting steps on a definition. Property tests (fast-check) run
 * random sequences of edits over an empty workflow and every recipe and check after each one
 * that the definition still parses with the engine's own schema, that no path leads to a
 * missing step and nothing reachable was cut off; that an insert undone by a delete that
 * reconnects gives the original back; and that undo (model/history.ts) walks back to it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OBJECTS } from "../../src/crm/objects.js";
import { actionSchema, stepSchema, workflowSchema } from "../../src/engine/definition.js";
import { validateWorkflow } from "../../src/engine/validate.js";
import type { StepSpec, WorkflowDefinition } from "../../web/src/components/graph/definition.js";
import { END_ID, TRIGGER_ID, workflowGraph } from "../../web/src/components/graph/graph-model.js";
import {
  copySteps,
  deletePreview,
  deleteStep,
  type EditResult,
  insertStep,
  moveStep,
  outSlots,
  pasteSteps,
  slotsAfter,
} from "../../web/src/pages/builder/model/edit.js";
import { record, startHistory, undo } from "../../web/src/pages/builder/model/history.js";
import { CHOICES, PALETTE, type PaletteId } from "../../web/src/pages/builder/model/palette.js";

const dir = fileURLToPath(new URL("../../recipes/", import.meta.url));
const recipes = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => workflowSchema.parse(JSON.parse(readFileSync(join(dir, f), "utf8"))) as unknown as WorkflowDefinition);

/** A new workflow: the trigger leads to an end step and nothing else. */
const EMPTY: WorkflowDefinition = {
  key: "new-workflow",
  name: "New workflow",
  object: "lead",
  trigger: { type: "record_created" },
  start: "end",
  steps: { end: { type: "end" } },
};

const ctx = { object: "lead", workflows: ["speed-to-lead"] };

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object" && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

const edges = (def: WorkflowDefinition) => workflowGraph(def).edges;
const ok = (r: EditResult): WorkflowDefinition => {
  if (!r.ok) throw new Error(r.reason);
  return r.definition;
};

/** Every invariant an edit keeps. */
function check(def: WorkflowDefinition) {
  const parsed = workflowSchema.safeParse(def);
  expect(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues)).toBe(true);
  // Parsing changes nothing: defaults are written out by the palette, so saving and reloading reads the same.
  expect(parsed.data).toEqual({ reenrollment: false, allow_self_trigger: false, ...def });
  expect(def.steps[def.start]).toBeDefined();
  for (const [id, s] of Object.entries(def.steps))
    for (const o of outSlots(s)) if (o.target) expect(def.steps[o.target], `${id}.${o.path} → ${o.target}`).toBeDefined();
  const m = workflowGraph(def);
  expect(m.nodes.some((n) => n.kind === "missing")).toBe(false);
  // Every step is reached from the trigger.
  const reached = new Set<string>();
  const stack = [def.start];
  while (stack.length) {
    const id = stack.pop() as string;
    if (reached.has(id)) continue;
    reached.add(id);
    for (const o of outSlots(def.steps[id] as StepSpec)) if (o.target) stack.push(o.target);
  }
  expect([...reached].sort()).toEqual(Object.keys(def.steps).sort());
}

type Op =
  | { kind: "insert"; item: number; edge: number }
  | { kind: "delete"; step: number; subtree: boolean }
  | { kind: "move"; step: number; edge: number; subtree: boolean }
  | { kind: "copy"; steps: number[]; edge: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), item: fc.nat(), edge: fc.nat() }),
  fc.record({ kind: fc.constant("delete" as const), step: fc.nat(), subtree: fc.boolean() }),
  fc.record({ kind: fc.constant("move" as const), step: fc.nat(), edge: fc.nat(), subtree: fc.boolean() }),
  fc.record({ kind: fc.constant("copy" as const), steps: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), edge: fc.nat() }),
);

function apply(def: WorkflowDefinition, op: Op): EditResult {
  const es = edges(def);
  const ids = Object.keys(def.steps);
  const edge = es[("edge" in op ? op.edge : 0) % es.length];
  if (!edge) throw new Error("a workflow always has the trigger's edge");
  switch (op.kind) {
    case "insert":
      return insertStep(def, edge.slots, (PALETTE[op.item % PALETTE.length] as { id: PaletteId }).id, ctx);
    case "delete":
      return deleteStep(def, ids[op.step % ids.length] as string, op.subtree ? "subtree" : "reconnect");
    case "move":
      return moveStep(def, ids[op.step % ids.length] as string, edge.slots, op.subtree);
    case "copy":
      return pasteSteps(
        def,
        copySteps(
          def,
          op.steps.map((i) => ids[i % ids.length] as string),
        ),
        edge.slots,
      );
  }
}

const starts = [EMPTY, ...recipes].map(deepFreeze);

describe("the palette", () => {
  it("has every step type and every action of the engine's format, each parsing as a step", () => {
    const actions = actionSchema.options.map((o) => o.shape.type.value).sort();
    const flows = stepSchema.options.map((o) => o.shape.type.value).filter((t) => t !== "action");
    expect(PALETTE.map((i) => i.id).sort()).toEqual([...actions, ...flows].sort());
    for (const object of Object.keys(OBJECTS))
      for (const item of PALETTE) {
        let n = 0;
        const spec = item.make({ object, end: () => `end-${++n}` });
        expect(stepSchema.parse(spec), `${item.id} on ${object}`).toEqual(spec);
      }
  });

  it("suggests only fields and values the objects have", () => {
    for (const [object, c] of Object.entries(CHOICES)) {
      const f = OBJECTS[object as keyof typeof OBJECTS].fields.find((x) => x.name === c.field);
      expect(f?.options, `${object}.${c.field}`).toEqual(expect.arrayContaining(c.values));
    }
  });

  it("gives sensible defaults: a 15-minute delay, a branch with one rule and an otherwise", () => {
    const d = ok(insertStep(EMPTY, edges(EMPTY)[0]?.slots ?? [], "delay", ctx));
    expect(d.steps.delay).toEqual({ type: "delay", duration: { minutes: 15 }, next: "end" });
    const b = ok(insertStep(EMPTY, edges(EMPTY)[0]?.slots ?? [], "branch", ctx)).steps.branch;
    expect(b?.type === "branch" && b.rules.length === 1 && b.else === "end").toBe(true);
  });
});

describe("editing from an empty workflow", () => {
  it("inserts on trigger → end, with readable fresh ids, and the result passes the publish checks", () => {
    const start = edges(EMPTY).find((e) => e.source === TRIGGER_ID);
    expect(start?.slots).toEqual([{ source: TRIGGER_ID, path: "start" }]);
    const one = ok(insertStep(EMPTY, start?.slots ?? [], "send_email", ctx));
    expect(one.start).toBe("send-email");
    expect(one.steps["send-email"]).toMatchObject({ type: "action", next: "end" });
    const two = ok(insertStep(one, [{ source: TRIGGER_ID, path: "start" }], "send_email", ctx));
    expect(two.start).toBe("send-email-2");
    expect(two.steps["send-email-2"]).toMatchObject({ next: "send-email" });
    const checked = validateWorkflow(two, (o) => OBJECTS[o].fields);
    expect(checked.ok, checked.ok ? "" : JSON.stringify(checked.issues)).toBe(true);
  });

  it("refuses an End in the middle of a path, and deleting the last step", () => {
    const one = ok(insertStep(EMPTY, [{ source: TRIGGER_ID, path: "start" }], "delay", ctx));
    const r = insertStep(one, [{ source: TRIGGER_ID, path: "start" }], "end", ctx);
    expect(r.ok).toBe(false);
    expect(deleteStep(EMPTY, "end", "reconnect").ok).toBe(false);
  });

  it("a branch where a path ended keeps an end step for its otherwise; in the middle, its otherwise goes on", () => {
    const d: WorkflowDefinition = {
      ...EMPTY,
      start: "create-task",
      steps: { "create-task": { type: "action", action: { type: "create_task", subject: "Call", priority: "P3" } } },
    };
    const atEnd = ok(insertStep(d, slotsAfter(d, "create-task") ?? [], "branch", ctx));
    expect(atEnd.steps.branch).toMatchObject({ rules: [{ next: "end" }], else: "end-2" });
    const mid = ok(insertStep(d, [{ source: TRIGGER_ID, path: "start" }], "branch", ctx));
    expect(mid.steps.branch).toMatchObject({ rules: [{ next: "end" }], else: "create-task" });
    expect(Object.keys(mid.steps).sort()).toEqual(["branch", "create-task", "end"]);
  });
});

describe("delete, move, copy and paste", () => {
  const speed = recipes.find((r) => r.key === "speed-to-lead") as WorkflowDefinition;

  it("deletes a step by reconnecting, or with what follows", () => {
    const p = deletePreview(speed, "call-task");
    expect(p.reconnectTo).toBe("auto-reply");
    expect(p.reconnect).toEqual([]);
    expect(p.subtree.length).toBeGreaterThan(1);
    const r = ok(deleteStep(speed, "call-task", "reconnect"));
    expect(r.steps.assign).toMatchObject({ next: "auto-reply" });
    const s = ok(deleteStep(speed, "call-task", "subtree"));
    expect(Object.keys(s.steps)).toEqual(["assign"]);
    expect(s.steps.assign).not.toHaveProperty("next");
  });

  it("moves a step alone or with what follows, and refuses moving a part into itself", () => {
    const alone = ok(moveStep(speed, "assign", slotsAfter(speed, "call-task") ?? [], false));
    expect(alone.start).toBe("call-task");
    expect(alone.steps["call-task"]).toMatchObject({ next: "assign" });
    expect(alone.steps.assign).toMatchObject({ next: "auto-reply" });
    expect(moveStep(speed, "assign", slotsAfter(speed, "call-task") ?? [], true).ok).toBe(false);
  });

  it("copies steps and pastes them with fresh ids, links between them kept", () => {
    const clip = copySteps(speed, ["call-task", "assign"]);
    expect(clip.order).toEqual(["assign", "call-task"]);
    const d = ok(pasteSteps(speed, clip, [{ source: TRIGGER_ID, path: "start" }]));
    expect(d.start).toBe("assign-2");
    expect(d.steps["assign-2"]).toMatchObject({ next: "call-task-2" });
    expect(d.steps["call-task-2"]).toMatchObject({ next: "assign" });
    check(d);
  });

  it("a pasted classify step whose unsure path led outside the copy ends that path, not on its sure one", () => {
    const classify = ok(insertStep(speed, [{ source: TRIGGER_ID, path: "start" }], "classify", ctx));
    const cut = ok(pasteSteps(classify, copySteps(classify, ["classify"]), [{ source: TRIGGER_ID, path: "start" }]));
    const pasted = cut.steps["classify-2"] as Extract<StepSpec, { type: "classify" }>;
    expect(pasted.next).toBe("classify");
    expect(cut.steps[pasted.low_confidence ?? ""]).toEqual({ type: "end" });
    // And inserting on that path then deleting again gives the same workflow back.
    const onUnsure = ok(insertStep(cut, [{ source: "classify-2", path: "low_confidence" }], "delay", ctx));
    expect(ok(deleteStep(onUnsure, "delay", "reconnect"))).toEqual(cut);
  });
});

describe("properties", () => {
  it("after any sequence of edits the definition parses, no path leads to a missing step, and the input is unchanged", () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(opArb, { maxLength: 14 }), (s, ops) => {
        let def = starts[s % starts.length] as WorkflowDefinition;
        for (const op of ops) {
          const r = apply(def, op);
          if (!r.ok) continue;
          check(r.definition);
          def = deepFreeze(r.definition);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("insert then delete (reconnect) gives the original back", () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(opArb, { maxLength: 6 }), fc.nat(), fc.nat(), (s, ops, e, i) => {
        let def = starts[s % starts.length] as WorkflowDefinition;
        for (const op of ops) {
          const r = apply(def, op);
          if (r.ok) def = deepFreeze(r.definition);
        }
        const edge = edges(def)[e % edges(def).length];
        const item = PALETTE[i % PALETTE.length] as { id: PaletteId };
        if (!edge) return;
        const inserted = insertStep(def, edge.slots, item.id, ctx);
        if (!inserted.ok) {
          expect(item.id).toBe("end");
          return;
        }
        const id = inserted.focus as string;
        const back = ok(deleteStep(inserted.definition, id, "reconnect"));
        // A branch or switch where the path ended keeps an end step on its otherwise path (the
        // publish checks require one): the same workflow, with the end written out.
        const step = inserted.definition.steps[id] as StepSpec;
        const keptEnd = edge.target === END_ID && (step.type === "branch" || step.type === "switch");
        expect(keptEnd ? withoutKeptEnd(back, def) : back).toEqual(def);
      }),
      { numRuns: 400 },
    );
  });

  it("undo walks back through every edit to the original", () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(opArb, { minLength: 1, maxLength: 10 }), (s, ops) => {
        const first = starts[s % starts.length] as WorkflowDefinition;
        let h = startHistory(first);
        for (const [i, op] of ops.entries()) {
          const r = apply(h.present, op);
          // Edits seconds apart: none merges with the one before.
          if (r.ok) h = record(h, deepFreeze(r.definition), i * 5000);
        }
        while (h.past.length > 0) h = undo(h);
        expect(h.present).toBe(first);
      }),
      { numRuns: 100 },
    );
  });
});

/** `after` with the end steps it has and `original` lacks written back as paths that end. */
function withoutKeptEnd(after: WorkflowDefinition, original: WorkflowDefinition): WorkflowDefinition {
  const extra = new Set(Object.keys(after.steps).filter((id) => !original.steps[id] && after.steps[id]?.type === "end"));
  const steps: Record<string, StepSpec> = {};
  for (const [id, s] of Object.entries(after.steps)) {
    if (extra.has(id)) continue;
    // The kept end hangs where the path ended: the step's main path, or another of its top-level
    // exits (an approval's on_rejected, a wait's on_timeout) that ended the run.
    const kept = outSlots(s).filter((o) => o.target && extra.has(o.target) && /^[a-z_]+$/.test(o.path));
    if (kept.length > 0) {
      const copy = { ...s } as Record<string, unknown>;
      for (const o of kept) delete copy[o.path];
      steps[id] = copy as StepSpec;
    } else steps[id] = s;
  }
  return { ...after, steps };
}
