/** Pure validation of record writes: types, normalisation, required and managed fields. */
import { describe, expect, it } from "vitest";
import { fieldsOf } from "../../src/crm/custom-fields.js";
import { deriveManagedFields } from "../../src/crm/derived.js";
import { OBJECTS } from "../../src/crm/objects.js";
import { validateWrite } from "../../src/crm/validation.js";
import { checkValue, normaliseDateTime } from "../../src/crm/values.js";

const contact = fieldsOf("contact", []);
const user = OBJECTS.user.fields;

describe("validateWrite", () => {
  it("applies defaults on create and normalises values, keeping an email as typed (trimmed)", () => {
    const r = validateWrite(contact, { last_name: "Ng", email: " NG@Example.COM ", phone: "+1 (415) 555-0123" }, "create");
    expect(r).toEqual({ ok: true, data: { last_name: "Ng", email: "NG@Example.COM", phone: "+14155550123", score: 0, status: "active" } });
  });

  it("lists every problem with its field", () => {
    const r = validateWrite(
      contact,
      { score: 1.5, lifecycle_stage: "hot", nickname: "x", last_activity_at: "2026-01-01T00:00:00Z" },
      "create",
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.path.join("."), i.code])).toEqual([
      ["score", "invalid_type"],
      ["lifecycle_stage", "not_in_options"],
      ["nickname", "unknown_field"],
      ["last_activity_at", "managed_field"],
      ["last_name", "required"],
    ]);
  });

  it("on update checks only what is sent; null clears, except required fields", () => {
    expect(validateWrite(contact, { title: null }, "update")).toEqual({ ok: true, data: { title: null } });
    const r = validateWrite(contact, { last_name: null }, "update");
    expect(r.ok ? [] : r.issues.map((i) => i.code)).toEqual(["required"]);
  });

  it("validates the shapes of JSON fields", () => {
    const ok = validateWrite(
      user,
      { working_hours: { mon: [["09:00", "17:00"]] }, pto: [{ start: "2026-07-01T00:00:00+02:00", end: "2026-07-10T00:00:00Z" }] },
      "update",
    );
    expect(ok).toEqual({
      ok: true,
      data: { working_hours: { mon: [["09:00", "17:00"]] }, pto: [{ start: "2026-06-30T22:00:00.000Z", end: "2026-07-10T00:00:00.000Z" }] },
    });
    for (const bad of [
      { working_hours: { someday: [] } },
      { working_hours: { mon: [["17:00", "09:00"]] } },
      { pto: [{ start: "2026-07-10T00:00:00Z", end: "2026-07-01T00:00:00Z" }] },
      { time_zone: "Mars/Olympus" },
      { territories: [1] },
    ]) {
      expect(validateWrite(user, bad, "update").ok, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe("checkValue", () => {
  const f = (type: string, extra = {}) => ({ name: "x", label: "x", type, ...extra }) as never;
  it.each([
    ["date", "2026-02-28", true],
    ["date", "2026-02-29", false],
    ["date", "2026-2-1", false],
    ["datetime", "2026-03-01T09:30:00Z", true],
    ["datetime", "2026-03-01T09:30:00", false],
    ["datetime", "2026-03-01", false],
    ["url", "https://cal.example.com/ada", true],
    ["url", "javascript:alert(1)", false],
    ["email", "a@b.co", true],
    ["email", "a@", false],
    ["boolean", "true", false],
    ["integer", 3, true],
    ["integer", Number.NaN, false],
    ["number", Number.POSITIVE_INFINITY, false],
    ["reference", "", false],
  ])("%s %j → %s", (type, value, ok) => {
    expect(checkValue(f(type), value).ok).toBe(ok);
  });

  it("normalises instants to UTC", () => {
    expect(normaliseDateTime("2026-03-29T02:30:00+02:00")).toBe("2026-03-29T00:30:00.000Z");
  });
});

describe("deriveManagedFields", () => {
  const now = "2026-01-01T00:00:00.000Z";
  it("stamps a deal's stage entry only when the stage changes", () => {
    expect(deriveManagedFields("deal", undefined, { stage: "proposal" }, now).stage_entered_at).toBe(now);
    expect(
      deriveManagedFields(
        "deal",
        { stage: "proposal", stage_entered_at: "old" },
        { stage: "proposal", stage_entered_at: "old", amount: 1 },
        now,
      ).stage_entered_at,
    ).toBe("old");
  });
  it("completes and reopens tasks, resolves and reopens tickets", () => {
    expect(deriveManagedFields("task", { status: "open" }, { status: "done" }, now).completed_at).toBe(now);
    expect(
      deriveManagedFields("task", { status: "done", completed_at: now }, { status: "open", completed_at: now }, now).completed_at,
    ).toBeNull();
    expect(deriveManagedFields("ticket", { status: "open" }, { status: "resolved" }, now).resolved_at).toBe(now);
    expect(
      deriveManagedFields("ticket", { status: "resolved", resolved_at: now }, { status: "open", resolved_at: now }, now).resolved_at,
    ).toBeNull();
  });
});
