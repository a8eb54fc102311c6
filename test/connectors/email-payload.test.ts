/** The pure email payload builder: rendering, escaping, the recipient, the Message-ID. */
import { describe, expect, it } from "vitest";
import { buildEmailPayload, EmailPayloadError, messageIdFor, type SendEmailAction } from "../../src/connectors/smtp/email-payload.js";
import type { StoredRecord } from "../../src/store/ports.js";

const T = "2026-03-02T09:00:00.000Z";
const rec = (object: StoredRecord["object"], id: string, data: Record<string, unknown>): StoredRecord => ({
  workspaceId: "ws",
  id,
  object,
  version: 1,
  data,
  createdAt: T,
  updatedAt: T,
});

const lead = rec("lead", "lead1", { first_name: "Ada <b>", last_name: "Lovelace", email: "ada@example.test", owner_id: "u1" });
const owner = rec("user", "u1", {
  name: "Bo Rep",
  email: "bo@demo.test",
  calendar_link: "https://cal.test/bo?x=1&y=2",
  pto: [{ start: T, end: T }],
});
const company = rec("company", "c1", { name: "Analytical Engines" });

const action = (extra: Partial<SendEmailAction>): SendEmailAction => ({
  type: "send_email",
  connector: "email",
  to: { record_email: true },
  subject: "Hi",
  reply_to_owner: false,
  ...extra,
});

describe("buildEmailPayload", () => {
  it("renders subject, text and html over record, owner and company; html escapes record values", () => {
    const built = buildEmailPayload(
      action({
        subject: "Thanks {{ record.first_name }} from {{ company.name }}",
        text: "Book {{ owner.name }}: {{ owner.calendar_link }}",
        html: '<p>Hi {{ record.first_name }}, <a href="{{ owner.calendar_link }}">book</a></p>',
        reply_to_owner: true,
      }),
      { record: lead, owner, company },
      "run1:reply:3",
    );
    expect(built).toEqual({
      kind: "email",
      connector: "email",
      payload: {
        to: "ada@example.test",
        subject: "Thanks Ada <b> from Analytical Engines",
        text: "Book Bo Rep: https://cal.test/bo?x=1&y=2",
        html: '<p>Hi Ada &lt;b&gt;, <a href="https://cal.test/bo?x=1&amp;y=2">book</a></p>',
        messageId: "<run1=3Areply=3A3@handoff>",
        fromName: "Bo Rep",
        replyTo: "bo@demo.test",
      },
    });
  });

  it("never compiles record values, shows only name, email and calendar link of the owner, and keeps the subject on one line", () => {
    const sneaky = rec("lead", "lead2", { first_name: "{{ owner.email }}\r\nBcc: x@evil.test", email: "e@x.test" });
    const built = buildEmailPayload(
      action({ subject: "{{ record.first_name }}", text: "{{ owner.pto }}|{{ owner.name }}" }),
      { record: sneaky, owner },
      "k",
    );
    expect(built.payload.subject).toBe("{{ owner.email }} Bcc: x@evil.test");
    expect(built.payload.text).toBe("|Bo Rep");
    expect(built.payload.fromName).toBeUndefined();
  });

  it("sends to the owner for { field: owner_id }, to a resolved person otherwise, and refuses when there is no address", () => {
    expect(buildEmailPayload(action({ to: { field: "owner_id" }, text: "x" }), { record: lead, owner }, "k").payload.to).toBe(
      "bo@demo.test",
    );
    const manager = rec("user", "m1", { name: "Max", email: "max@demo.test" });
    expect(
      buildEmailPayload(action({ to: { manager_of: "owner_id" }, text: "x" }), { record: lead, owner, recipient: manager }, "k").payload.to,
    ).toBe("max@demo.test");
    expect(() => buildEmailPayload(action({ text: "x" }), { record: rec("lead", "l3", { last_name: "X" }) }, "k")).toThrow(
      EmailPayloadError,
    );
    expect(() => buildEmailPayload(action({ to: { manager_of: "owner_id" }, text: "x" }), { record: lead, owner }, "k")).toThrow(
      /no address to send to/,
    );
  });

  it("makes a valid, stable, collision-free Message-ID from any key", () => {
    expect(messageIdFor("01J:step-1:2")).toBe("<01J=3Astep-1=3A2@handoff>");
    expect(messageIdFor("a.b")).not.toBe(messageIdFor("a=2Eb"));
    expect(messageIdFor("sub:évent <x>")).toMatch(/^<[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+@handoff>$/);
    expect(messageIdFor("k")).toBe(messageIdFor("k"));
  });
});
