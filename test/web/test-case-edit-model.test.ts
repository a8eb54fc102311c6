/**
 * Editing a test case in the web app, its pure part (web/src/components/test-cases/edit-model.ts):
 * a case becomes the form's texts and back unchanged; bad JSON or a missing name is named by
 * field and nothing is sent; a server problem's path lands on the field that holds it.
 */
import { describe, expect, it } from "vitest";
import { bodyOf, fieldOfProblem, formOf, problemsByField } from "../../web/src/components/test-cases/edit-model.js";

const saved = {
  name: "Score 80: assigned and emailed",
  record: { first_name: "Ada", score: 80 },
  answers: { "wait-for-call": { event_after_minutes: 5 } },
  expect: {
    status: "completed",
    path: ["assign", "call-task", "auto-reply"],
    fields: { status: "working" },
    owner: { team: "Americas East" },
    messages: [{ kind: "email", to: "record" }],
  },
};

describe("the test case form", () => {
  it("round-trips a case: the body sent is the case as saved", () => {
    const r = bodyOf(formOf(saved));
    expect(r).toEqual({ body: saved });
  });

  it("a live record's id, and empty expectations left out", () => {
    const form = { ...formOf({ name: "Live", record_id: "01ABC", expect: {} }), status: "", path: " " };
    expect(bodyOf(form)).toEqual({ body: { name: "Live", record_id: "01ABC", expect: {} } });
  });

  it("names every problem of the texts by field, and sends nothing", () => {
    const form = { ...formOf(saved), name: " ", record: "{not json", messages: '{"kind": "email"}', answers: "[1]" };
    const r = bodyOf(form);
    expect("problems" in r && Object.keys(r.problems).sort()).toEqual(["answers", "expect.messages", "name", "record"]);
  });

  it("a server problem's path lands on the field that holds it; the rest is shown above", () => {
    expect(fieldOfProblem("record.score")).toBe("record");
    expect(fieldOfProblem("expect.messages[0].kind")).toBe("expect.messages");
    expect(fieldOfProblem("expect.owner")).toBe("expect.owner.user");
    expect(fieldOfProblem("answers.wait-for-call.event_after_minutes")).toBe("answers");
    expect(fieldOfProblem("expect")).toBe("expect.status");
    expect(fieldOfProblem("")).toBeUndefined();
    const grouped = problemsByField([
      { path: "name", message: "taken by another test case of this workflow" },
      { path: "expect.messages[0].kind", message: "expected one of email, http" },
      { path: "", message: "too large" },
    ]);
    expect(grouped.fields).toEqual({
      name: "taken by another test case of this workflow",
      "expect.messages": "expect.messages[0].kind: expected one of email, http",
    });
    expect(grouped.other).toEqual(["too large"]);
  });
});
