/**
 * The pure parts of the builder's settings panel: how the condition editor reads the format's
 * and / or / not as groups (with each item's problem path) and writes them back, and which
 * variables a template may read in each place — the same as the engine's publish check allows
 * (checked against validateWorkflow itself, so the picker cannot offer a variable publish refuses).
 */
import { describe, expect, it } from "vitest";
import { fieldsOf as engineFields } from "../../src/crm/custom-fields.js";
import { type ObjectName, SYSTEM_FIELDS } from "../../src/crm/fields.js";
import { validateWorkflow } from "../../src/engine/validate.js";
import type { Condition } from "../../web/src/components/graph/definition.js";
import { asGroup, fromGroup, isLoneLeaf } from "../../web/src/pages/builder/panels/conditions/shape.js";
import { templateVariables } from "../../web/src/pages/builder/panels/inputs/templateVariables.js";

const score: Condition = { field: "score", op: "gt", value: 40 };
const size: Condition = { field: "employee_count", op: "gt", value: 10 };

describe("condition groups", () => {
  it("reads and / or / not as groups with the paths the server reports problems at", () => {
    expect(asGroup({ and: [score, size] }, "conditions")).toEqual({
      mode: "all",
      items: [
        { condition: score, path: "conditions.and.0" },
        { condition: size, path: "conditions.and.1" },
      ],
    });
    expect(asGroup({ not: { or: [score] } }, "goal").items[0]?.path).toBe("goal.not.or.0");
    expect(asGroup({ not: { and: [score, size] } }, "goal").mode).toBe("not_all");
    expect(asGroup({ not: score }, "x")).toEqual({ mode: "none", items: [{ condition: score, path: "x.not" }] });
    const lone = asGroup(score, "steps.route.rules.0.when");
    expect(isLoneLeaf(lone, "steps.route.rules.0.when")).toBe(true);
    expect(lone.items[0]?.path).toBe("steps.route.rules.0.when");
  });

  it("writes each mode as the format has it, and no group at all when it is empty", () => {
    expect(fromGroup("all", [score])).toEqual({ and: [score] });
    expect(fromGroup("any", [score, size])).toEqual({ or: [score, size] });
    expect(fromGroup("not_all", [score])).toEqual({ not: { and: [score] } });
    expect(fromGroup("none", [score])).toEqual({ not: { or: [score] } });
    expect(fromGroup("all", [])).toBeUndefined();
    for (const c of [{ and: [score, size] }, { or: [score] }, { not: { and: [size] } }, { not: { or: [score, size] } }] as Condition[]) {
      const g = asGroup(c, "c");
      expect(
        fromGroup(
          g.mode,
          g.items.map((i) => i.condition),
        ),
      ).toEqual(c);
    }
  });
});

describe("template variables", () => {
  const fields = (o: string) =>
    [...engineFields(o as ObjectName, []), ...SYSTEM_FIELDS].map((f) => ({ name: f.name, label: f.label ?? f.name }));
  const label = (o: string) => o;
  const publishProblems = (action: Record<string, unknown>) => {
    const def = {
      key: "preview-vars",
      name: "Variables",
      object: "lead",
      trigger: { type: "manual" },
      start: "a",
      steps: { a: { type: "action", action } },
    };
    const r = validateWorkflow(
      def,
      (o) => engineFields(o, []),
      () => true,
    );
    return r.ok ? [] : r.issues;
  };

  it("offers the record everywhere, and the owner and company only to external actions", () => {
    const task = templateVariables("lead", "create_task", fields, label);
    expect(task.map((g) => g.label)).toEqual(["This lead"]);
    expect(task[0]?.variables.map((v) => v.path)).toContain("record.first_name");
    const email = templateVariables("lead", "send_email", fields, label);
    expect(email.map((g) => g.label)).toEqual(["This lead", "Its owner", "Its company"]);
    expect(email[1]?.variables.map((v) => v.path)).toEqual(["owner.name", "owner.email", "owner.calendar_link"]);
  });

  it("offers only what publish accepts in that place", () => {
    const subject = (template: string) => ({ type: "create_task", subject: template });
    for (const v of templateVariables("lead", "create_task", fields, label)[0]?.variables ?? [])
      expect(publishProblems(subject(`{{ ${v.path} }}`))).toEqual([]);
    for (const g of templateVariables("lead", "send_email", fields, label))
      for (const v of g.variables)
        expect(publishProblems({ type: "send_email", to: { record_email: true }, subject: `{{ ${v.path} }}`, text: "hi" })).toEqual([]);
    // And what it does not offer a task, publish refuses there.
    expect(publishProblems(subject("{{ owner.name }}")).length).toBeGreaterThan(0);
  });
});
