/**
 * The graph model's extras (components/graph/graph-model.ts): a version diff's highlights and
 * runs counted per step, as each node carries them and says them in its accessible name —
 * the words that make the marks on the canvas more than colour.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { WorkflowDefinition } from "../../web/src/components/graph/definition.js";
import { nodeLabel, TRIGGER_ID, workflowGraph } from "../../web/src/components/graph/graph-model.js";

const speed = JSON.parse(readFileSync(new URL("../../recipes/speed-to-lead.json", import.meta.url), "utf8")) as WorkflowDefinition;
const label = (model: ReturnType<typeof workflowGraph>, id: string) => {
  const node = model.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`no node ${id}`);
  return nodeLabel(node);
};

describe("graph extras: highlights and runs per step", () => {
  it("names a node's part in a version diff, with the version", () => {
    const model = workflowGraph(speed, undefined, {
      highlight: { "wait-for-call": "changed", reassign: "added", [TRIGGER_ID]: "changed" },
      highlightVersion: 3,
    });
    expect(label(model, "wait-for-call")).toMatch(/^Step wait-for-call: Wait 15 min, .*, changed in v3$/);
    expect(label(model, "reassign")).toMatch(/, added in v3$/);
    expect(label(model, TRIGGER_ID)).toMatch(/^Trigger: When a lead is created, .*, changed in v3$/);
    expect(
      model.nodes
        .filter((n) => n.highlight)
        .map((n) => n.id)
        .sort(),
    ).toEqual([TRIGGER_ID, "reassign", "wait-for-call"].sort());
  });

  it("gives every step its counts (zero when none), never the trigger or the synthetic end", () => {
    const model = workflowGraph(speed, undefined, { counts: { assign: { passed: 3, waiting: 0, failed: 1 } } });
    expect(label(model, "assign")).toMatch(/, runs: 3 passed, 0 waiting, 1 failed$/);
    expect(label(model, "reassign")).toMatch(/, runs: 0 passed, 0 waiting, 0 failed$/);
    expect(model.nodes.find((n) => n.id === TRIGGER_ID)?.counts).toBeUndefined();
    expect(label(model, TRIGGER_ID)).not.toContain("runs:");
  });

  it("without extras, labels are as before", () => {
    const plain = workflowGraph(speed);
    const withNothing = workflowGraph(speed, undefined, {});
    expect(plain.nodes.map(nodeLabel)).toEqual(withNothing.nodes.map(nodeLabel));
    expect(plain.nodes.some((n) => n.highlight || n.counts)).toBe(false);
  });
});
