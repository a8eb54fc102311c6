/**
 * The send_email action in the workflow format: what publishing checks (templates over record,
 * owner and company; a body; a recipient) and what decide() hands to the outbox.
 */
import { describe, expect, it } from "vitest";
import { fieldsOf } from "../../src/crm/custom-fields.js";
import { compileWorkflow } from "../../src/engine/compile.js";
import { decide } from "../../src/engine/decide.js";
import { initialState } from "../../src/engine/run-state.js";
import { validateWorkflow } from "../../src/engine/validate.js";

const fields = (o: Parameters<typeof fieldsOf>[0]) => fieldsOf(o, []);

function workflow(object: string, action: Record<string, unknown>) {
  return {
    key: "mail",
    name: "Mail",
    object,
    trigger: { type: "manual" },
    start: "send",
    steps: { send: { type: "action", action: { type: "send_email", ...action }, next: "done" }, done: { type: "end" } },
  };
}

const problems = (def: unknown) => {
  const v = validateWorkflow(def, fields);
  return v.ok ? [] : v.issues.map((i) => `${i.path.join(".")}: ${i.code}`);
};

describe("send_email at publish", () => {
  it("accepts templates over the record, its owner and its company", () => {
    const def = workflow("lead", {
      to: { record_email: true },
      subject: "Thanks, {{ record.first_name }}",
      text: "Book a slot with {{ owner.name }}: {{ owner.calendar_link }} ({{ company.name }})",
      html: "<p>Hi {{ record.first_name }}</p>",
      reply_to_owner: true,
    });
    expect(problems(def)).toEqual([]);
    const v = validateWorkflow(def, fields);
    if (!v.ok) throw new Error("unexpected");
    expect(v.definition.steps.send).toMatchObject({ action: { connector: "email", reply_to_owner: true } });
  });

  it("reports unknown variables, a missing body, raw html and a person field that is no user, by path", () => {
    expect(
      problems(
        workflow("lead", {
          to: { field: "company_id" },
          subject: "{{ record.nickname }} {{ owner.phone }}",
          html: "{{ record.first_name | raw }} {{ secrets.key }}",
        }),
      ),
    ).toEqual([
      "steps.send.action.to.field: invalid_value",
      "steps.send.action.subject: unknown_field",
      "steps.send.action.subject: unknown_field",
      "steps.send.action.html: invalid_value",
      "steps.send.action.html: invalid_value",
    ]);
    expect(problems(workflow("lead", { to: { record_email: true }, subject: "Hi" }))).toEqual(["steps.send.action: required"]);
  });

  it("offers no owner or company where the object has none", () => {
    expect(
      problems(
        workflow("ticket", { to: { field: "assignee_id" }, subject: "{{ owner.name }}", text: "{{ company.name }}", reply_to_owner: true }),
      ),
    ).toEqual(["steps.send.action.reply_to_owner: invalid_value", "steps.send.action.subject: invalid_value"]);
  });

  it("refuses the old {to, template} shape at its own path", () => {
    expect(problems(workflow("lead", { to: { record_email: true }, template: "x", subject: "s", text: "t" }))).toEqual([
      "steps.send.action.template: unknown_field",
    ]);
  });
});

describe("send_email in a run", () => {
  it("is placed on the outbox with a stable key and the action as written; the run waits for it", () => {
    const v = validateWorkflow(
      workflow("lead", { to: { record_email: true }, subject: "Hi {{ record.first_name }}", text: "Hello" }),
      fields,
    );
    if (!v.ok) throw new Error(JSON.stringify(v.issues));
    const w = compileWorkflow(v.definition);
    const facts = { record: { id: "lead1", first_name: "Ada" }, refs: {}, counts: {}, nowMs: 0 };
    const d = decide(w, initialState("send"), { kind: "continue" }, facts, { runId: "run1", seq: 3, nowMs: 0, timeZone: "UTC" });
    expect(d.commands).toEqual([
      {
        type: "enqueue_external",
        key: "run1:send:3",
        action: {
          type: "send_email",
          connector: "email",
          to: { record_email: true },
          subject: "Hi {{ record.first_name }}",
          text: "Hello",
          reply_to_owner: false,
        },
      },
    ]);
    expect(d.state).toMatchObject({ status: "waiting", wait: { kind: "action", key: "run1:send:3" } });
  });
});
