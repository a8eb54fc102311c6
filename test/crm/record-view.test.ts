/** recordView: a record's data plus id and timestamps, a copy the caller may not share. */
import { describe, expect, it } from "vitest";
import { recordView } from "../../src/crm/record-view.js";
import type { StoredRecord } from "../../src/store/ports.js";

const stored = (data: Record<string, unknown>): StoredRecord =>
  ({ workspaceId: "w", id: "r1", object: "lead", version: 1, createdAt: "c", updatedAt: "u", data }) as unknown as StoredRecord;

describe("recordView", () => {
  it("is the data with id and timestamps, in the data's key order, and a copy", () => {
    const data = { b: 1, a: "x", id: "ignored", nested: { k: 1 } };
    const view = recordView(stored(data));
    expect(view).toEqual({ b: 1, a: "x", id: "r1", nested: { k: 1 }, created_at: "c", updated_at: "u" });
    expect(Object.keys(view)).toEqual(["b", "a", "id", "nested", "created_at", "updated_at"]);
    view.b = 2;
    expect(data.b).toBe(1);
  });

  it("keeps an own __proto__ key as data, not as the view's prototype", () => {
    const data = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const view = recordView(stored(data));
    expect(Object.getPrototypeOf(view)).toBe(Object.prototype);
    expect((view as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.hasOwn(view, "__proto__")).toBe(true);
    expect(view.a).toBe(1);
  });
});
