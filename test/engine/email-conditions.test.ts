/**
 * Conditions compare email addresses without their ASCII case (issue 20, item 2): emails are
 * stored as typed, so `email eq "ana.silva@example.com"` must hold for "Ana.Silva@Example.com".
 * Other strings still compare exactly, and a string that only looks half like an address does not fold.
 */
import { describe, expect, it } from "vitest";
import { compare, type Facts } from "../../src/engine/conditions.js";

const facts: Facts = { record: {}, refs: {}, counts: {}, nowMs: 0 };

describe("email addresses in conditions", () => {
  it("eq, neq, in, nin and changed_to fold the case of two addresses", () => {
    expect(compare("eq", "Ana.Silva@Example.com", "ana.silva@example.com", facts, "email")).toBe(true);
    expect(compare("neq", "Ana.Silva@Example.com", "ana.silva@example.com", facts, "email")).toBe(false);
    expect(compare("in", "ANA@X.IO", ["bo@x.io", "ana@x.io"], facts, "email")).toBe(true);
    expect(compare("nin", "ANA@X.IO", ["ana@x.io"], facts, "email")).toBe(false);
    const changed: Facts = { ...facts, changes: [{ field: "email", old: null, new: "Ana@X.io" }] };
    expect(compare("changed_to", null, "ana@x.io", changed, "email")).toBe(true);
    expect(compare("eq", "ana.silva@example.com", "ana.silva@example.org", facts, "email")).toBe(false);
  });

  it("leaves other strings exact", () => {
    expect(compare("eq", "Closed", "closed", facts, "status")).toBe(false);
    expect(compare("eq", "@Ana", "@ana", facts, "handle")).toBe(false);
    expect(compare("eq", "Ana Silva@Work", "ana silva@work", facts, "title")).toBe(false);
  });
});
