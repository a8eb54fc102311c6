/**
 * The ready recipes of the product brief and the escalation templates (recipes/*.json) are published as they are: each one must
 * pass the publish-time validation against the built-in fields, and say why it and each of its
 * steps exist.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fieldsOf } from "../../src/crm/custom-fields.js";
import { isObjectName, SYSTEM_FIELDS } from "../../src/crm/fields.js";
import { DEFINITION_LIMITS } from "../../src/engine/limits.js";
import { isTemplate, templateError } from "../../src/engine/templates.js";
import { validateWorkflow } from "../../src/engine/validate.js";

const RECIPES = [
  "contract-renewal-reminder.json",
  "data-enrichment-on-create.json",
  "deal-stage-progression.json",
  "discount-approval.json",
  "escalation-at-risk-renewal.json",
  "escalation-overdue-task.json",
  "escalation-p1-breach.json",
  "escalation-stale-lead.json",
  "escalation-stuck-deal.json",
  "meeting-follow-up.json",
  "onboarding-kickoff.json",
  "re-engagement-cold-leads.json",
  "retention-playbook.json",
  "speed-to-lead.json",
  "win-loss-post-mortem.json",
];

const dir = fileURLToPath(new URL("../../recipes/", import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort();
const fields = (o: Parameters<typeof fieldsOf>[0]) => fieldsOf(o, []);

type RawRecipe = { key?: unknown; object?: unknown; description?: unknown; steps?: Record<string, { description?: unknown }> };
const load = (file: string): RawRecipe => JSON.parse(readFileSync(join(dir, file), "utf8")) as RawRecipe;
const filled = (v: unknown) => typeof v === "string" && v.trim().length > 0;

/** Every string in a value, with its path. */
function strings(value: unknown, path: string): Array<{ path: string; text: string }> {
  if (typeof value === "string") return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}.${i}`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => strings(v, `${path}.${k}`));
  return [];
}

describe("ready recipes", () => {
  it("ships exactly the eight recipes of the product brief, the escalation templates of issue 17 and the playbook they start, and the discount approval of issue 18", () => {
    expect(files).toHaveLength(15);
    expect(files).toEqual(RECIPES);
  });

  it.each(files)("%s passes validateWorkflow", (file) => {
    const result = validateWorkflow(load(file), fields);
    const issues = result.ok ? [] : result.issues;
    expect(issues, `${file} does not validate:\n${JSON.stringify(issues, null, 2)}`).toEqual([]);
  });

  it.each(files)("%s is named by its key", (file) => {
    expect(`${String(load(file).key)}.json`).toBe(file);
  });

  it.each(files)("%s says why the workflow and each step exist", (file) => {
    const recipe = load(file);
    const missing = [
      ...(filled(recipe.description) ? [] : ["description"]),
      ...Object.entries(recipe.steps ?? {})
        .filter(([, step]) => !filled(step.description))
        .map(([id]) => `steps.${id}.description`),
    ];
    expect(Object.keys(recipe.steps ?? {}).length).toBeGreaterThan(0);
    expect(missing, `${file} lacks descriptions: ${missing.join(", ")}`).toEqual([]);
  });

  // validateWorkflow leaves templates to render time; a typo there would only show in a live run.
  it.each(files)("%s templates parse and name only fields of its object", (file) => {
    const recipe = load(file);
    const object = String(recipe.object);
    expect(isObjectName(object)).toBe(true);
    if (!isObjectName(object)) return;
    const known = new Set([...SYSTEM_FIELDS, ...fields(object)].map((f) => f.name));
    const problems = strings(recipe.steps, "steps")
      .filter((s) => isTemplate(s.text))
      .flatMap((s) => {
        const error = templateError(s.text);
        if (error) return [`${s.path}: ${error}`];
        const names = [...s.text.matchAll(/\{\{\s*record\.([a-z0-9_]+)/g)].map((m) => m[1] ?? "");
        return names.filter((n) => !known.has(n)).map((n) => `${s.path}: ${object} has no field "${n}"`);
      });
    expect(problems, `${file}: ${problems.join("; ")}`).toEqual([]);
  });

  // The format's limits are far from what real workflows need: each recipe uses at most a tenth of each.
  it.each(files)("%s fits the format's limits with room to spare", (file) => {
    const recipe = load(file) as RawRecipe & Record<string, unknown>;
    const tenth = (limit: number) => limit / 10;
    expect(JSON.stringify(recipe).length).toBeLessThan(tenth(DEFINITION_LIMITS.definitionChars));
    expect(Object.keys(recipe.steps ?? {}).length).toBeLessThan(tenth(DEFINITION_LIMITS.steps));
    expect(depthOf(recipe)).toBeLessThan(tenth(DEFINITION_LIMITS.jsonDepth));
    for (const s of strings(recipe, "")) expect(s.text.length).toBeLessThan(tenth(DEFINITION_LIMITS.templateChars));
    // Each condition level is at least one JSON level: no recipe's conditions nest deeper than the recipe itself
    // (an approval's routes → levels → approvers make the deepest recipe 9 levels).
    expect(depthOf(recipe)).toBeLessThan(DEFINITION_LIMITS.conditionDepth / 3);
  });
});

/** How many objects and arrays are nested in a value. */
function depthOf(value: unknown): number {
  return typeof value === "object" && value !== null ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0;
}
