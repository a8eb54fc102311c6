/**
 * The `merge_records` action in the pure engine (issue 20, item 6): the exact command for "into
 * its best suspected duplicate" (with and without a lowest score) and for a record named by a
 * template, rendered over the record; publish refuses a template that does not parse, a score
 * outside 0–1, and the action in a deletion workflow, each at its path.
 */
import { describe, expect, it } from "vitest";
import { fieldsOf } from "../../src/crm/custom-fields.js";
import { compileWorkflow } from "../../src/engine/compile.js";
import type { Facts } from "../../src/engine/conditions.js";
import { decide } from "../../src/engine/decide.js";
import { initialState } from "../../src/engine/run-state.js";
import { validateWorkflow } from "../../src/engine/validate.js";

const fields = (o: Parameters<typeof fieldsOf>[0]) => fieldsOf(o, []);
const T0 = Date.parse("2026-03-02T09:00:00Z");

const definition = (action: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  key: "fold-duplicates",
  name: "Fold duplicates",
  description: "A suspected duplicate contact is folded into the one that was there first.",
  object: "contact",
  trigger: { type: "review_queued", kinds: ["duplicate"] },
  start: "merge",
  steps: { merge: { type: "action", action: { type: "merge_records", ...action }, next: "note" }, note: { type: "end" } },
  ...extra,
});

function compile(def: unknown) {
  const v = validateWorkflow(def, fields);
  if (!v.ok) throw new Error(JSON.stringify(v.issues, null, 1));
  return compileWorkflow(v.definition);
}

const facts = (record: Record<string, unknown>): Facts => ({ record: { id: "c2", ...record }, refs: {}, counts: {}, nowMs: T0 });
const ctx = { runId: "run1", seq: 1, nowMs: T0, timeZone: "UTC" };

describe("merge_records", () => {
  it("asks for the best suspected duplicate by default, any score, and goes on to its next step", () => {
    const w = compile(definition({}));
    const d = decide(w, initialState("merge"), { kind: "continue" }, facts({ last_name: "Silva" }), ctx);
    expect(d.commands).toEqual([{ type: "merge_records", into: { bestDuplicate: true, minScore: 0 } }]);
    expect(d.state).toMatchObject({ status: "running", step: "note" });
    expect(d.log).toMatchObject({ step: "merge", outcome: "applied" });
  });

  it("passes the lowest score on", () => {
    const w = compile(definition({ into: { best_duplicate: true, min_score: 0.9 } }));
    expect(decide(w, initialState("merge"), { kind: "continue" }, facts({}), ctx).commands).toEqual([
      { type: "merge_records", into: { bestDuplicate: true, minScore: 0.9 } },
    ]);
  });

  it("renders a named record id over the record, trimmed; an unset field renders empty", () => {
    const w = compile(definition({ into: { record_id: " {{ record.company_id }} " } }));
    expect(decide(w, initialState("merge"), { kind: "continue" }, facts({ company_id: "co9" }), ctx).commands).toEqual([
      { type: "merge_records", into: { recordId: "co9" } },
    ]);
    expect(decide(w, initialState("merge"), { kind: "continue" }, facts({}), ctx).commands).toEqual([
      { type: "merge_records", into: { recordId: "" } },
    ]);
  });

  it("refuses at publish a template that does not parse or reads an unknown field, a score outside 0–1, and a deletion workflow", () => {
    const paths = (def: unknown) => {
      const v = validateWorkflow(def, fields);
      return v.ok ? [] : v.issues.map((i) => i.path.join("."));
    };
    expect(paths(definition({ into: { record_id: "{{ record.company_id " } }))).toContain("steps.merge.action.into.record_id");
    expect(paths(definition({ into: { record_id: "{{ record.no_such_field }}" } }))).toContain("steps.merge.action.into.record_id");
    expect(paths(definition({ into: { best_duplicate: true, min_score: 1.5 } })).some((p) => p.startsWith("steps.merge.action.into"))).toBe(
      true,
    );
    expect(paths(definition({}, { trigger: { type: "record_deleted" } }))).toContain("steps.merge.action");
  });
});
