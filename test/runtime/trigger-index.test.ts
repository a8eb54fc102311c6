/**
 * The matcher's trigger sets: an event visits only the triggers that can fire on what it
 * changed, never fewer than triggerFires would fire, in the store's row order; a set is reused
 * while the store returns the same rows and rebuilt when a publish or archive changed them.
 */
import { describe, expect, it } from "vitest";
import { type CompiledWorkflow, compileWorkflow } from "../../src/engine/compile.js";
import { type WorkflowDefinition, workflowSchema } from "../../src/engine/definition.js";
import { CompiledCache } from "../../src/runtime/compiled-cache.js";
import { triggerFires } from "../../src/runtime/matcher.js";
import { TriggerSet, TriggerSets } from "../../src/runtime/trigger-index.js";
import type { DomainEvent, StoreTx } from "../../src/store/ports.js";
import type { TriggerRow, WorkflowVersionRow } from "../../src/store/workflow-ports.js";

const definition = (key: string, trigger: unknown) => ({
  key,
  name: key,
  object: "lead",
  trigger,
  start: "bump",
  steps: { bump: { type: "action", action: { type: "change_score", by: 1 } } },
});
const compile = (d: unknown): CompiledWorkflow => compileWorkflow(workflowSchema.parse(d) as WorkflowDefinition);
const row = (workflowId: string, kind: string, version = 1, sincePosition = 0): TriggerRow => ({
  workspaceId: "ws",
  workflowId,
  object: "lead",
  kind,
  version,
  sincePosition,
});
const event = (type: DomainEvent["type"], changes: Array<[string, unknown, unknown]>): DomainEvent =>
  ({
    id: "e1",
    position: 10,
    workspaceId: "ws",
    object: "lead",
    recordId: "r1",
    type,
    changes: changes.map(([field, old, next]) => ({ field, old, new: next })),
    actor: { kind: "user", id: "u1" },
    depth: 0,
  }) as unknown as DomainEvent;

const TRIGGERS: Array<[string, string, unknown]> = [
  ["any-update", "record_updated", { type: "record_updated" }],
  ["status-a", "field_changed", { type: "field_changed", field: "status" }],
  ["email", "field_changed", { type: "field_changed", field: "email", to: "x@example.com" }],
  ["hot", "score_threshold", { type: "score_threshold", field: "score", threshold: 60, direction: "up" }],
  ["email-or-title", "record_updated", { type: "record_updated", fields: ["email", "title"] }],
  ["status-b", "field_changed", { type: "field_changed", field: "status", to: "qualified" }],
  ["created", "record_created", { type: "record_created" }],
];
const rows = TRIGGERS.map(([id, kind]) => row(id, kind));
const compiled = TRIGGERS.map(([id, , trigger]) => compile(definition(id, trigger)));
const set = new TriggerSet(rows, compiled);
const visited = (e: DomainEvent) => set.candidates(e).map((c) => c.row.workflowId);

describe("TriggerSet", () => {
  it("visits only the triggers of the fields an update changed, and those watching no field, in row order", () => {
    expect(visited(event("record.updated", [["status", "new", "working"]]))).toEqual(["any-update", "status-a", "status-b", "created"]);
    expect(
      visited(
        event("record.updated", [
          ["title", null, "CTO"],
          ["email", null, "a@example.com"],
        ]),
      ),
    ).toEqual(["any-update", "email", "email-or-title", "created"]);
    expect(visited(event("record.updated", [["last_name", "a", "b"]]))).toEqual(["any-update", "created"]);
    expect(
      visited(
        event("record.updated", [
          ["score", 50, 70],
          ["status", "new", "qualified"],
        ]),
      ),
    ).toEqual(["any-update", "status-a", "hot", "status-b", "created"]);
  });

  it("leaves out no trigger that fires, whatever the event changes", () => {
    const fields = ["status", "email", "title", "score", "last_name"];
    const values = [null, "qualified", "x@example.com", 10, 70];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 500; i++) {
      const changes: Array<[string, unknown, unknown]> = [];
      for (const f of fields) if (random(3) === 0) changes.push([f, values[random(values.length)], values[random(values.length)]]);
      const e = event(random(2) === 0 ? "record.updated" : "record.created", changes);
      const fires = (w: CompiledWorkflow) => triggerFires(w, e);
      const all = rows.filter((_, k) => fires(compiled[k] as CompiledWorkflow)).map((r) => r.workflowId);
      const fromSet = set
        .candidates(e)
        .filter((c) => fires(c.w))
        .map((c) => c.row.workflowId);
      expect(fromSet).toEqual(all);
    }
  });

  it("skips a row whose version is missing", () => {
    const partial = new TriggerSet([row("a", "record_created"), row("b", "record_created")], [undefined, compiled[6]]);
    expect(partial.candidates(event("record.created", [])).map((c) => c.row.workflowId)).toEqual(["b"]);
  });
});

/** A transaction that answers the trigger index from `rows` and versions from `versions`, counting reads. */
function fakeTx(state: { rows: TriggerRow[]; versions: Map<string, unknown>; triggerReads: number; versionReads: number }) {
  return {
    triggers: {
      async findTriggers(_ws: string, _object: string, kinds: readonly string[]) {
        state.triggerReads += 1;
        return state.rows.filter((r) => kinds.includes(r.kind)).map((r) => ({ ...r }));
      },
    },
    workflows: {
      async getVersion(workspaceId: string, workflowId: string, version: number): Promise<WorkflowVersionRow | undefined> {
        state.versionReads += 1;
        const d = state.versions.get(`${workflowId}@${version}`);
        return d
          ? { workspaceId, workflowId, version, state: "published", definition: d, createdAt: "", publishedAt: "", sincePosition: 0 }
          : undefined;
      },
    },
  } as unknown as StoreTx;
}

describe("TriggerSets", () => {
  it("reuses a set while the rows are the same, and sees a new version or an archive at once", async () => {
    const state = {
      rows: [row("wf", "field_changed", 1, 0)],
      versions: new Map<string, unknown>([["wf@1", definition("wf", { type: "field_changed", field: "status" })]]),
      triggerReads: 0,
      versionReads: 0,
    };
    const tx = fakeTx(state);
    const sets = new TriggerSets(new CompiledCache());
    const kinds = ["field_changed"];
    const statusChange = event("record.updated", [["status", "a", "b"]]);
    const emailChange = event("record.updated", [["email", "a", "b"]]);

    const first = await sets.get(tx, "ws", "lead", kinds);
    expect(first.candidates(statusChange).map((c) => c.row.version)).toEqual([1]);
    // The next tick reads the rows again; unchanged, it keeps the set (and compiles nothing).
    expect(await sets.get(tx, "ws", "lead", kinds)).toBe(first);
    expect(state.versionReads).toBe(1);

    // Version 2 watches another field (published by this process or another: only the rows tell).
    state.versions.set("wf@2", definition("wf", { type: "field_changed", field: "email" }));
    state.rows = [row("wf", "field_changed", 2, 5)];
    const second = await sets.get(tx, "ws", "lead", kinds);
    expect(second).not.toBe(first);
    expect(second.candidates(statusChange)).toEqual([]);
    expect(second.candidates(emailChange).map((c) => [c.row.version, c.row.sincePosition])).toEqual([[2, 5]]);

    // Republished with only a later since_position: the rows differ, so the set does too.
    state.rows = [row("wf", "field_changed", 2, 9)];
    const third = await sets.get(tx, "ws", "lead", kinds);
    expect(third.candidates(emailChange).map((c) => c.row.sincePosition)).toEqual([9]);

    // Archived: no rows, no candidates.
    state.rows = [];
    expect((await sets.get(tx, "ws", "lead", kinds)).candidates(emailChange)).toEqual([]);
  });

  it("reads the rows once per tick for all of its events", async () => {
    const state = {
      rows: [row("wf", "record_created")],
      versions: new Map<string, unknown>([["wf@1", definition("wf", { type: "record_created" })]]),
      triggerReads: 0,
      versionReads: 0,
    };
    const tx = fakeTx(state);
    const sets = new TriggerSets(new CompiledCache());
    const seen = new Map();
    const a = await sets.get(tx, "ws", "lead", ["record_created"], seen);
    const b = await sets.get(tx, "ws", "lead", ["record_created"], seen);
    expect(b).toBe(a);
    expect(state.triggerReads).toBe(1);
    // A new tick (a new `seen`) reads them again.
    await sets.get(tx, "ws", "lead", ["record_created"], new Map());
    expect(state.triggerReads).toBe(2);
  });
});
