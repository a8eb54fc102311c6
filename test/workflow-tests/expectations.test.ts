/** A test case's expectations against a run's result (issue 19): pure checks, each failure in words. */
import { describe, expect, it } from "vitest";
import { type Checked, checkExpectations, pathDifference } from "../../src/app/workflow-tests/expectations.js";
import { pathOf } from "../../src/app/workflow-tests/test-run-result.js";

const result = (extra: Partial<Checked> = {}): Checked => ({
  status: "completed",
  path: ["assign", "call-task", "auto-reply", "done"],
  record: { id: "l1", email: "Ada@Example.com", score: 80, owner_id: "u1" },
  owner: { user_id: "u1", name: "Ana Rep", email: "ana@acme.test", team: "Americas East", why: "round robin" },
  messages: [
    {
      kind: "email",
      connector: "email",
      step: "auto-reply",
      to: "ada@example.com",
      subject: "Hi",
      text: null,
      html: null,
      reply_to: null,
      from_name: null,
    },
    { kind: "chat", connector: "chat", step: "post", text: "New lead" },
  ],
  ...extra,
});

describe("checkExpectations", () => {
  it("passes when everything expected happened", () => {
    expect(
      checkExpectations(
        {
          status: "completed",
          path: ["assign", "call-task", "auto-reply", "done"],
          fields: { score: 80, owner_id: "u1" },
          owner: { user: "ana@ACME.test", team: "americas east" },
          messages: [{ kind: "email", to: "record" }, { kind: "chat" }, { kind: "http", count: 0 }],
        },
        result(),
      ),
    ).toEqual({ passed: true, failures: [] });
  });

  it("names the first step that differed", () => {
    const r = checkExpectations({ path: ["assign", "auto-reply", "call-task", "done"] }, result());
    expect(r.passed).toBe(false);
    expect(r.failures).toEqual([
      {
        expectation: "path",
        expected: ["assign", "auto-reply", "call-task", "done"],
        actual: ["assign", "call-task", "auto-reply", "done"],
        message: "step 2: expected auto-reply, got call-task",
      },
    ]);
  });

  it("says what differed of the status, a field, the owner and the messages", () => {
    const r = checkExpectations(
      {
        status: "waiting",
        fields: { score: "80", status: "new" },
        owner: { user: "Ben Rep", team: "EMEA" },
        messages: [
          { kind: "email", to: "someone@else.test" },
          { kind: "chat", count: 2 },
        ],
      },
      result(),
    );
    expect(r.failures.map((f) => f.message)).toEqual([
      "status: expected waiting, got completed",
      'field score: expected "80", got 80',
      'field status: expected "new", got nothing',
      "owner: expected Ben Rep, got Ana Rep",
      "owner's team: expected EMEA, got Americas East",
      "messages: expected 1 email to someone@else.test, got 0",
      "messages: expected 2 chat, got 1",
    ]);
    expect(r.failures.map((f) => f.expectation)).toEqual([
      "status",
      "fields.score",
      "fields.status",
      "owner.user",
      "owner.team",
      "messages[0]",
      "messages[1]",
    ]);
  });

  it("an owner expected where none was chosen fails, naming it", () => {
    const r = checkExpectations({ owner: { user: "Ana Rep" } }, result({ owner: null }));
    expect(r.failures[0]?.message).toBe("owner: expected Ana Rep, got no owner chosen");
  });
});

describe("pathDifference and pathOf", () => {
  it("names a step missing at the end and one too many", () => {
    expect(pathDifference(["a", "b", "c"], ["a", "b"])).toBe("step 3: expected c, got the end of the run");
    expect(pathDifference(["a"], ["a", "b"])).toBe("step 2: expected the run to end, got b");
    expect(pathDifference(["a", "b"], ["a", "b"])).toBeUndefined();
  });

  it("a step logged twice in a row (waited, then passed) is one step of the path", () => {
    expect(pathOf([{ step: "a" }, { step: "wait" }, { step: "wait" }, { step: null }, { step: "b" }])).toEqual(["a", "wait", "b"]);
  });
});
