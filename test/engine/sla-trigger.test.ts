/**
 * The `sla` trigger (docs/sla.md, "Milestones as events"), pure: which SLA events fire it — the
 * policy it names, the milestones it lists, the level it narrows to — and its publish checks.
 * The attacker's cases: another policy's event, a record event carrying the policy's name as
 * its source, a level the milestones cannot reach, a policy name that is empty.
 */
import { describe, expect, it } from "vitest";
import { fieldsOf } from "../../src/crm/custom-fields.js";
import { compileWorkflow } from "../../src/engine/compile.js";
import { type WorkflowDefinition, workflowSchema } from "../../src/engine/definition.js";
import type { TriggerEvent } from "../../src/engine/triggers/index.js";
import { lookupKeys } from "../../src/engine/triggers/index.js";
import { slaKind } from "../../src/engine/triggers/sla.js";
import { validateWorkflow } from "../../src/engine/validate.js";
import { triggerFires } from "../../src/runtime/matcher.js";
import type { DomainEvent } from "../../src/store/ports.js";

const POLICY = "Ticket first response";

const definition = (trigger: Record<string, unknown>) => ({
  key: "on-sla",
  name: "On SLA",
  object: "ticket",
  trigger: { type: "sla", ...trigger },
  start: "note",
  steps: { note: { type: "action", action: { type: "create_task", subject: "Look at it" } } },
});

const workflow = (trigger: Record<string, unknown>) => compileWorkflow(workflowSchema.parse(definition(trigger)) as WorkflowDefinition);

const event = (type: TriggerEvent["type"], level: number, source = POLICY) =>
  ({
    type,
    object: "ticket",
    changes: [],
    source,
    detail: {
      policy_id: "p1",
      policy_name: source,
      clock_id: "c1",
      milestone: level === 0 ? "warning" : level === 1 ? "breach" : `level:${level}`,
      level,
      due_at: "2026-03-02T10:00:00.000Z",
    },
  }) as unknown as DomainEvent;

describe("the sla trigger", () => {
  it("fires on the milestones it names, of its policy only", () => {
    const w = workflow({ policy: POLICY, milestones: ["warning", "breach"] });
    expect(triggerFires(w, event("sla.warning", 0))).toBe(true);
    expect(triggerFires(w, event("sla.breached", 1))).toBe(true);
    expect(triggerFires(w, event("sla.escalated", 2))).toBe(false);
    expect(triggerFires(w, event("sla.breached", 1, "Ticket resolution"))).toBe(false);
  });

  it("narrows to one level", () => {
    const w = workflow({ policy: POLICY, milestones: ["escalation"], level: 3 });
    expect(triggerFires(w, event("sla.escalated", 2))).toBe(false);
    expect(triggerFires(w, event("sla.escalated", 3))).toBe(true);
    expect(triggerFires(w, event("sla.escalated", 4))).toBe(false);
    const breach = workflow({ policy: POLICY, milestones: ["breach", "escalation"], level: 1 });
    expect(triggerFires(breach, event("sla.breached", 1))).toBe(true);
    expect(triggerFires(breach, event("sla.escalated", 2))).toBe(false);
  });

  it("is not fired by a record event or a delivery that carries the policy's name as its source", () => {
    const w = workflow({ policy: POLICY, milestones: ["warning", "breach", "escalation"] });
    for (const type of ["record.created", "record.updated", "record.deleted", "external.received"] as const)
      expect(triggerFires(w, event(type, 1))).toBe(false);
    expect(lookupKeys({ type: "external.received", changes: [], source: POLICY })).not.toContain(slaKind(POLICY));
  });

  it("is looked up by its policy's name: a milestone of another policy finds none of its workflows", () => {
    expect(lookupKeys({ type: "sla.breached", changes: [], source: POLICY })).toEqual([slaKind(POLICY)]);
    expect(lookupKeys({ type: "sla.breached", changes: [], source: "Other" })).toEqual([slaKind("Other")]);
  });

  it("refuses at publish a level its milestones cannot reach, a milestone named twice, and unknown milestones", () => {
    const check = (trigger: Record<string, unknown>) => {
      const r = validateWorkflow(definition(trigger), (o) => fieldsOf(o, []));
      return r.ok ? [] : r.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(check({ policy: POLICY, milestones: ["breach"] })).toEqual([]);
    expect(check({ policy: POLICY, milestones: ["escalation"], level: 2 })).toEqual([]);
    expect(check({ policy: POLICY, milestones: ["warning"], level: 1 })).toEqual([
      "trigger.level: level 1 is the breach: name the breach among the milestones",
    ]);
    expect(check({ policy: POLICY, milestones: ["breach"], level: 2 })).toEqual([
      "trigger.level: level 2 is an escalation level: name escalation among the milestones",
    ]);
    expect(check({ policy: POLICY, milestones: ["breach", "breach"] })).toEqual(['trigger.milestones.1: "breach" is named twice']);
    expect(check({ policy: POLICY, milestones: ["overdue"] })[0]).toMatch(/^trigger\.milestones\.0/);
    expect(check({ policy: POLICY, milestones: [] })[0]).toMatch(/^trigger\.milestones/);
    expect(check({ policy: "", milestones: ["breach"] })[0]).toMatch(/^trigger\.policy/);
    expect(check({ policy: POLICY, milestones: ["breach"], level: 0 })[0]).toMatch(/^trigger\.level/);
  });
});
