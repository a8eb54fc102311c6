/** triggerFires: field_changed compares from/to as JSON values, whatever the types. */
import { describe, expect, it } from "vitest";
import { compileWorkflow } from "../../src/engine/compile.js";
import { type WorkflowDefinition, workflowSchema } from "../../src/engine/definition.js";
import { triggerFires } from "../../src/runtime/matcher.js";
import type { DomainEvent } from "../../src/store/ports.js";

const VALUES: unknown[] = [null, "a", "1", 1, 1.0, 0, -0, Number.NaN, true, "true", "null", { a: 1 }, [1], ["1"]];

const changedTo = (to: unknown) =>
  compileWorkflow(
    workflowSchema.parse({
      key: "changed-to",
      name: "changed to",
      object: "lead",
      trigger: { type: "field_changed", field: "f", to },
      start: "s",
      steps: { s: { type: "action", action: { type: "change_score", by: 1 } } },
    }) as WorkflowDefinition,
  );
const update = (next: unknown) =>
  ({ type: "record.updated", object: "lead", changes: [{ field: "f", old: "before", new: next }] }) as unknown as DomainEvent;

describe("triggerFires, field_changed with `to`", () => {
  it("fires exactly when the new value equals `to` as JSON", () => {
    for (const to of VALUES) {
      const w = changedTo(to);
      for (const next of [...VALUES, undefined])
        expect(triggerFires(w, update(next)), `${JSON.stringify(next)} → ${JSON.stringify(to)}`).toBe(
          JSON.stringify(next ?? null) === JSON.stringify(w.trigger.type === "field_changed" ? (w.trigger.to ?? null) : null),
        );
    }
  });
});
