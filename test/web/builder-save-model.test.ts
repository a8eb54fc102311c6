/**
 * The pure parts of saving and checking in the builder (issue 15): the JSON view's text and back
 * (every recipe round-trips to the same text; syntax errors say line and column; the key cannot
 * change), the New workflow form's key from a name and its first draft (which the engine's format
 * accepts as a draft), and problems in words with the node they select.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseWorkflow } from "../../src/engine/validate.js";
import type { WorkflowDefinition } from "../../web/src/components/graph/definition.js";
import { TRIGGER_ID } from "../../web/src/components/graph/graph-model.js";
import { definitionText, lineAndColumn, readDefinitionText, syntaxErrorOffset } from "../../web/src/pages/builder/json-text.js";
import { firstDraft, KEY_PATTERN, keyFromName, keyProblem, NEW_TRIGGERS } from "../../web/src/pages/builder/new-workflow.js";
import { expectedWords, problemPlace, selectionOfProblem } from "../../web/src/pages/builder/problem-words.js";

const RECIPES_DIR = fileURLToPath(new URL("../../recipes/", import.meta.url));
const recipes = readdirSync(RECIPES_DIR)
  .filter((f) => f.endsWith(".json"))
  .map((f) => JSON.parse(readFileSync(`${RECIPES_DIR}${f}`, "utf8")) as WorkflowDefinition);

describe("the JSON view's text", () => {
  it("round-trips every recipe: text → definition → the same text, keys in their order", () => {
    expect(recipes.length).toBe(15);
    for (const recipe of recipes) {
      const text = definitionText(recipe);
      const read = readDefinitionText(text, recipe.key);
      if (!read.ok) throw new Error(read.message);
      expect(definitionText(read.definition)).toBe(text);
      expect(Object.keys(read.definition)).toEqual(Object.keys(recipe));
    }
  });

  it("keeps what the builder does not know and adds no defaults", () => {
    const def = {
      key: "k1",
      zeta: { b: 1, a: [2] },
      name: "N",
      object: "lead",
      trigger: { type: "manual", later: true },
      start: "done",
      steps: { done: { type: "end", note: "kept" } },
    };
    const read = readDefinitionText(JSON.stringify(def), "k1");
    if (!read.ok) throw new Error(read.message);
    expect(definitionText(read.definition)).toBe(JSON.stringify(def, null, 2));
    expect("reenrollment" in read.definition).toBe(false);
  });

  it("says where a syntax error is, by line and column", () => {
    const read = readDefinitionText('{\n  "key": "k1",\n  "name": }', "k1");
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.line).toBe(3);
    expect(read.column).toBe(11);
    expect(read.message).toMatch(/^This is not valid JSON yet \(line 3, column 11\)/);
    expect(lineAndColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
  });

  it("refuses another key, and anything but an object, with the reason", () => {
    const other = readDefinitionText('{"key": "other"}', "k1");
    expect(other.ok || other.message).toMatch(/The key cannot change in the builder/);
    for (const text of ["[]", "null", "3"]) expect(readDefinitionText(text, "k1").ok).toBe(false);
  });
});

describe("a new workflow", () => {
  it("derives a key of the format from the name", () => {
    expect(keyFromName("Speed to lead (EMEA)")).toBe("speed-to-lead-emea");
    expect(keyFromName("Relance clients inactifs — été")).toBe("relance-clients-inactifs-ete");
    expect(keyFromName("2025 renewals")).toBe("wf-2025-renewals");
    expect(keyFromName("   ")).toBe("");
    expect(keyFromName("x".repeat(100))).toHaveLength(63);
    for (const name of ["Speed to lead", "2025 renewals", "Ünïcödé ☃ leads", "a b".repeat(40)])
      expect(keyFromName(name)).toMatch(KEY_PATTERN);
    expect(keyProblem("Route Hot")).toMatch(/^A key is lower-case letters/);
    expect(keyProblem("route-hot")).toBeUndefined();
  });

  it("makes a first draft the format accepts, for every trigger offered, with an end step to insert on", () => {
    for (const trigger of NEW_TRIGGERS) {
      const draft = firstDraft({ key: "new-one", name: " New one ", description: "", object: "deal", trigger });
      const parsed = parseWorkflow(draft);
      expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
      expect(draft).toEqual({
        key: "new-one",
        name: "New one",
        object: "deal",
        trigger: { type: trigger },
        start: "done",
        steps: { done: { type: "end" } },
      });
    }
  });
});

describe("problems in words", () => {
  const def = recipes.find((r) => r.key === "speed-to-lead") as WorkflowDefinition;
  it("names the place and selects the node its path names", () => {
    expect(problemPlace({ path: "steps.assign.next", code: "x", message: "m" }, def)).toBe("Step “assign” (action), next step");
    expect(problemPlace({ path: "steps.hot.rules.0.when.field", code: "x", message: "m" }, def)).toBe(
      "Step “hot”, rule 1 › condition › field",
    );
    expect(problemPlace({ path: "conditions.and.0.field", code: "x", message: "m" }, def)).toBe(
      "The enrollment conditions, all of › #1 › field",
    );
    expect(problemPlace({ path: "name", code: "x", message: "m" }, def)).toBe("The workflow's name");
    expect(selectionOfProblem("steps.assign.next")).toEqual({ kind: "step", id: "assign" });
    expect(selectionOfProblem("trigger.field")).toEqual({ kind: "trigger" });
    expect(selectionOfProblem("conditions.and.0")).toEqual({ kind: "trigger" });
    expect(selectionOfProblem("name")).toEqual({ kind: "workflow" });
    expect(TRIGGER_ID).toBeTruthy();
    expect(expectedWords("a, b")).toBe("a, b");
    expect(expectedWords("a, b, c, d, e, f, g, h")).toBe("a, b, c, d, e, f, … (8 in all)");
  });
});

describe("where JSON breaks", () => {
  it("finds the first character that cannot be there, for what JSON.parse refuses and only there", () => {
    const cases: Array<[string, number]> = [
      ['{"a": }', 6],
      ['{"a": 1,}', 8],
      ['{"a" 1}', 5],
      ["[1, 2", 5],
      ['{"a": tru}', 9],
      ['{"a": "x\\q"}', 8],
      ["01", 1],
      ['{"a": 1} x', 9],
      ["", 0],
    ];
    for (const [text, at] of cases) {
      expect(() => JSON.parse(text), text).toThrow();
      expect(syntaxErrorOffset(text), text).toBe(at);
    }
    for (const recipe of recipes) expect(syntaxErrorOffset(definitionText(recipe))).toBe(definitionText(recipe).length);
  });
});

describe("what the canvas needs to draw", () => {
  it("refuses text the canvas could not draw (no steps, a step without a type), and says what is missing", () => {
    const base = { key: "k1", name: "N", object: "lead", trigger: { type: "manual" }, start: "done", steps: { done: { type: "end" } } };
    expect(readDefinitionText(JSON.stringify(base), "k1").ok).toBe(true);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, steps: undefined }, '"steps" must be an object of steps by id'],
      [{ ...base, steps: { a: 1 } }, 'step "a" must be an object with a "type"'],
      [{ ...base, trigger: "manual" }, '"trigger" must be an object with a "type"'],
      [{ ...base, name: 3 }, '"name" must be text'],
    ];
    for (const [def, message] of cases) {
      const read = readDefinitionText(JSON.stringify(def), "k1");
      expect(read.ok || read.message).toContain(message);
    }
    // What the server judges (an unknown step type, a dangling start) is applied, and listed as problems.
    expect(readDefinitionText(JSON.stringify({ ...base, start: "nowhere", steps: { x: { type: "teleport" } } }), "k1").ok).toBe(true);
  });
});
