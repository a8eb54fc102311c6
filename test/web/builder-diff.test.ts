/**
 * The version diff (web/src/pages/builder/model/diff.ts): what changed between two definitions,
 * in words. Examples over a real recipe (speed-to-lead), and properties over generated
 * definitions: a definition against itself differs in nothing; a step added, removed or changed
 * is reported exactly once and nothing else is.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { StepSpec, WorkflowDefinition } from "../../web/src/components/graph/definition.js";
import { TRIGGER_ID } from "../../web/src/components/graph/graph-model.js";
import { changeLine, diff, highlightsOf, isEmptyDiff } from "../../web/src/pages/builder/model/diff.js";

const recipe = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../recipes/${name}.json`, import.meta.url), "utf8")) as WorkflowDefinition;
const clone = <T>(v: T): T => structuredClone(v);

describe("diff of two versions, in words", () => {
  const v1 = recipe("speed-to-lead");

  it("finds nothing between a version and itself (or a copy with its keys in another order)", () => {
    expect(isEmptyDiff(diff(v1, v1))).toBe(true);
    const reordered = JSON.parse(JSON.stringify(v1, Object.keys(v1).reverse())) as WorkflowDefinition;
    expect(isEmptyDiff(diff(v1, { ...reordered, ...v1 }))).toBe(true);
  });

  it("lists a changed wait's duration and a changed email subject by path, old → new", () => {
    const v2 = clone(v1);
    const delayId = Object.keys(v2.steps).find((id) => v2.steps[id]?.type === "delay") as string;
    (v2.steps[delayId] as Extract<StepSpec, { type: "delay" }>).duration = { minutes: 30 };
    const d = diff(v1, v2);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
    expect(d.changed).toHaveLength(1);
    expect(d.changed[0]?.id).toBe(delayId);
    expect(d.changed[0]?.settings.map(changeLine)).toEqual(["duration: 15 min → 30 min"]);
    expect(d.changed[0]?.successors).toEqual([]);
    expect(highlightsOf(d)).toEqual({ [delayId]: "changed" });
  });

  it("tells an action's setting, a successor, the trigger, the conditions, the goal and a workflow setting apart", () => {
    const before: WorkflowDefinition = {
      key: "k",
      name: "Nurture",
      object: "lead",
      trigger: { type: "record_created" },
      conditions: { field: "score", op: "gt", value: 40 },
      start: "task",
      steps: {
        task: { type: "action", action: { type: "create_task", subject: "Call now" }, next: "done" },
        wait: { type: "delay", duration: { days: 1 }, next: "done" },
        done: { type: "end" },
      },
    };
    const after = clone(before);
    after.name = "Nurture leads";
    after.trigger = { type: "record_updated", fields: ["status"] };
    after.conditions = { field: "score", op: "gt", value: 50 };
    after.goal = { field: "status", op: "eq", value: "qualified" };
    after.steps.task = { type: "action", action: { type: "create_task", subject: "Call within 5 min" }, next: "wait" };
    delete after.steps.done;
    after.steps.finish = { type: "end" };
    (after.steps.wait as { next?: string }).next = "finish";
    const d = diff(before, after);
    expect(d.added).toEqual(["finish"]);
    expect(d.removed).toEqual(["done"]);
    expect(d.changed.map((s) => s.id)).toEqual(["task", "wait"]);
    expect(d.changed[0]?.settings.map(changeLine)).toEqual(["action.subject: “Call now” → “Call within 5 min”"]);
    expect(d.changed[0]?.successors.map(changeLine)).toEqual(["next: step done → step wait"]);
    expect(d.changed[1]?.settings).toEqual([]);
    expect(d.changed[1]?.successors.map(changeLine)).toEqual(["next: step done → step finish"]);
    expect(d.trigger.map(changeLine)).toEqual(["type: “record_created” → “record_updated”", "fields: not set → “status”"]);
    expect(d.conditions.map(changeLine)).toEqual(["conditions: score > 40 → score > 50"]);
    expect(d.goal.map(changeLine)).toEqual(["goal: none → status = qualified"]);
    expect(d.settings.map(changeLine)).toEqual(["name: “Nurture” → “Nurture leads”"]);
    expect(highlightsOf(d)).toEqual({ finish: "added", done: "removed", task: "changed", wait: "changed", [TRIGGER_ID]: "changed" });
  });

  it("lists a branch rule's condition and where it leads by index; a case by its value", () => {
    const before: WorkflowDefinition = {
      key: "k",
      name: "Route",
      object: "lead",
      trigger: { type: "manual" },
      start: "b",
      steps: {
        b: { type: "branch", rules: [{ when: { field: "score", op: "gte", value: 10 }, next: "s" }], else: "e" },
        s: { type: "switch", field: "region", cases: { emea: "e" }, default: "e" },
        e: { type: "end" },
      },
    };
    const after = clone(before);
    after.steps.b = { type: "branch", rules: [{ when: { field: "score", op: "gte", value: 20 }, next: "e" }], else: "e" };
    after.steps.s = { type: "switch", field: "region", cases: { emea: "e", apac: "e" } };
    const d = diff(before, after);
    expect(d.changed.find((s) => s.id === "b")?.settings.map(changeLine)).toEqual(["rules.0.when: score ≥ 10 → score ≥ 20"]);
    expect(d.changed.find((s) => s.id === "b")?.successors.map(changeLine)).toEqual(["rules.0.next: step s → step e"]);
    expect(d.changed.find((s) => s.id === "s")?.successors.map(changeLine)).toEqual([
      "cases.apac: the end → step e",
      "default: step e → the end",
    ]);
  });
});

/** Generated definitions: a few steps of several types, each leading to another step or the end. */
const ids = ["a1", "a2", "a3", "a4", "a5", "a6"];
const durationArb = fc.record({ minutes: fc.integer({ min: 1, max: 120 }) });
const stepArb = (targets: string[]): fc.Arbitrary<StepSpec> =>
  fc.oneof(
    fc.record({
      type: fc.constant("action" as const),
      action: fc.record({ type: fc.constant("create_task" as const), subject: fc.string({ minLength: 1, maxLength: 12 }) }),
      next: fc.constantFrom(...targets),
    }),
    fc.record({ type: fc.constant("delay" as const), duration: durationArb, next: fc.constantFrom(...targets) }),
    fc.record({
      type: fc.constant("branch" as const),
      rules: fc.array(
        fc.record({
          when: fc.record({ field: fc.constantFrom("score", "status"), op: fc.constant("eq"), value: fc.integer() }),
          next: fc.constantFrom(...targets),
        }),
        {
          minLength: 1,
          maxLength: 2,
        },
      ),
      else: fc.constantFrom(...targets),
    }),
    fc.constant({ type: "end" as const }),
  );
const definitionArb: fc.Arbitrary<WorkflowDefinition> = fc
  .uniqueArray(fc.constantFrom(...ids), { minLength: 1, maxLength: ids.length })
  .chain((stepIds) =>
    fc.record({
      key: fc.constant("generated"),
      name: fc.string({ maxLength: 10 }),
      object: fc.constantFrom("lead", "deal"),
      trigger: fc.constant({ type: "record_created" as const }),
      start: fc.constantFrom(...stepIds),
      steps: fc.tuple(...stepIds.map(() => stepArb(stepIds))).map((specs) => Object.fromEntries(stepIds.map((id, i) => [id, specs[i]]))),
    }),
  ) as fc.Arbitrary<WorkflowDefinition>;

/** Every id the diff names, with how many times. */
function named(d: ReturnType<typeof diff>) {
  return [...d.added, ...d.removed, ...d.changed.map((s) => s.id)];
}

describe("diff: properties", () => {
  it("a definition differs from itself (and from a copy) in nothing", () => {
    fc.assert(fc.property(definitionArb, (def) => isEmptyDiff(diff(def, def)) && isEmptyDiff(diff(def, clone(def)))));
  });

  it("a step added is reported once, as added, and nothing else", () => {
    fc.assert(
      fc.property(definitionArb, stepArb(["a1"]), (def, spec) => {
        const after = clone(def);
        after.steps.new_step = spec;
        const d = diff(def, after);
        expect(d.added).toEqual(["new_step"]);
        expect(named(d)).toEqual(["new_step"]);
        expect([...d.trigger, ...d.conditions, ...d.goal, ...d.settings]).toEqual([]);
      }),
    );
  });

  it("a step removed is reported once, as removed, and nothing else", () => {
    fc.assert(
      fc.property(
        definitionArb.filter((d) => Object.keys(d.steps).length > 1),
        fc.nat(),
        (def, pick) => {
          const stepIds = Object.keys(def.steps);
          const gone = stepIds[pick % stepIds.length] as string;
          const after = clone(def);
          delete after.steps[gone];
          const d = diff(def, after);
          expect(d.removed).toEqual([gone]);
          expect(named(d)).toEqual([gone]);
          expect([...d.trigger, ...d.conditions, ...d.goal, ...d.settings]).toEqual([]);
        },
      ),
    );
  });

  it("a step changed is reported once, as changed with what changed, and nothing else", () => {
    fc.assert(
      fc.property(definitionArb, fc.nat(), fc.integer({ min: 121, max: 999 }), (def, pick, minutes) => {
        const stepIds = Object.keys(def.steps);
        const id = stepIds[pick % stepIds.length] as string;
        const after = clone(def);
        // A wait of a length no generated wait has: a change of its duration, or of the step's type.
        after.steps[id] = { type: "delay", duration: { minutes }, next: stepIds[0] as string };
        const d = diff(def, after);
        expect(named(d)).toEqual([id]);
        expect(d.changed).toHaveLength(1);
        const change = d.changed[0];
        expect(change?.settings.some((s) => s.path === "duration" && s.after === `${minutes} min`)).toBe(true);
        expect([...d.trigger, ...d.conditions, ...d.goal, ...d.settings]).toEqual([]);
      }),
    );
  });
});
