/**
 * docs/workflows.md's trigger table says what is true: every trigger kind of the definition
 * format has a row, and its "available" column says "yes" exactly for the kinds publishing
 * accepts (and the runtime fires). The table once said `external` was "not yet fired" long after
 * inbound hooks fired it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AVAILABLE_TRIGGERS } from "../../src/app/workflows/workflow-service.js";
import { triggerSchema } from "../../src/engine/definition.js";

const doc = readFileSync(new URL("../../docs/workflows.md", import.meta.url), "utf8");

function triggerRows(): Map<string, { fires: string; available: string }> {
  const section = doc.slice(doc.indexOf("## Triggers"), doc.indexOf("## Conditions"));
  const rows = new Map<string, { fires: string; available: string }>();
  for (const line of section.split("\n")) {
    const m = /^\| `([a-z_]+)` \| (.*) \| ([^|]*) \|$/.exec(line);
    if (m?.[1]) rows.set(m[1], { fires: m[2] ?? "", available: (m[3] ?? "").trim() });
  }
  return rows;
}

describe("docs/workflows.md triggers", () => {
  const kinds = triggerSchema.options.map((o) => o.shape.type.value as string);

  it("lists every trigger kind of the format", () => {
    expect([...triggerRows().keys()].sort()).toEqual([...kinds].sort());
  });

  it.each(kinds)("%s: 'available' matches what publishing accepts", (kind) => {
    const row = triggerRows().get(kind);
    expect(row?.available).toBe(AVAILABLE_TRIGGERS.has(kind) ? "yes" : "no");
    expect(row?.fires ?? "").not.toMatch(/not yet/i);
  });
});
