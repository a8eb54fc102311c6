/**
 * The dependency rule of docs/ARCHITECTURE.md, enforced from the source's imports. The rule is
 * the table in that file (between the dependency-rule markers): this test reads it there, so the
 * written map and the checked one are the same data. Every import of every file under src/ —
 * `import`, `import type`, `export … from`, `import()` — is resolved to a file and checked against
 * its layer's row; the file graph (type imports included) must have no cycle.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const DOC = "docs/ARCHITECTURE.md";

interface Layer {
  name: string;
  /** Path patterns relative to the repository: `**` any depth, `*` one name. */
  files: string[];
  matchers: RegExp[];
  /** Layers this one may import besides itself; "*" for any. */
  mayImport: string[];
}

function patternToRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "*" && pattern[i + 1] === "*") {
      re += ".*";
      i++;
    } else if (c === "*") re += "[^/]*";
    else re += c.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

const ticked = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);

/** The rule table from docs/ARCHITECTURE.md, in its order (a file belongs to the first row that matches it). */
function readRule(): Layer[] {
  const doc = readFileSync(join(ROOT, DOC), "utf8");
  const start = doc.indexOf("<!-- dependency-rule:start");
  const end = doc.indexOf("<!-- dependency-rule:end");
  if (start < 0 || end < start) throw new Error(`${DOC} has no dependency-rule table between its markers`);
  const rows = doc
    .slice(start, end)
    .split("\n")
    .filter((l) => l.startsWith("|") && !l.startsWith("|---"))
    .slice(1); // the header
  return rows.map((row) => {
    const [layer = "", files = "", may = ""] = row.split("|").slice(1);
    const name = ticked(layer)[0];
    if (!name) throw new Error(`${DOC}: a rule row without a layer name: ${row}`);
    const patterns = ticked(files);
    const mayImport = may.trim() === "—" ? [] : ticked(may);
    return { name, files: patterns, matchers: patterns.map(patternToRegExp), mayImport };
  });
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out.sort();
}

/** `./x.js` → `src/…/x.ts`; undefined for a package. */
function resolveImport(from: string, specifier: string, known: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = relative(ROOT, resolve(ROOT, dirname(from), specifier));
  const candidates = [base.replace(/\.js$/, ".ts"), `${base}.ts`, `${base}/index.ts`, base];
  return candidates.find((c) => known.has(c)) ?? base;
}

/** Every file's imports of our own files, by the compiler's own scanner. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(join(ROOT, file), "utf8"), true, true);
    const targets = info.importedFiles.map((f) => resolveImport(file, f.fileName, known)).filter((t): t is string => t !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

function layerOf(rule: readonly Layer[], file: string): Layer | undefined {
  return rule.find((l) => l.matchers.some((m) => m.test(file)));
}

/** Strongly connected components with more than one file (or a file importing itself): each holds a cycle. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** One concrete cycle inside a component, as a path that returns to its start. */
function cycleIn(component: readonly string[], graph: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0] as string;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift() as string;
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u: string | undefined = v; u !== undefined && u !== start; u = previous.get(u)) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [...component, component[0] as string];
}

const rule = readRule();
const files = sourceFiles("src");
const graph = importGraph(files);

describe(`the dependency rule (${DOC})`, () => {
  it("names only layers it defines, each once", () => {
    const names = rule.map((l) => l.name);
    expect(rule.length).toBeGreaterThan(5);
    expect(new Set(names).size).toBe(names.length);
    const unknown = rule.flatMap((l) => l.mayImport.filter((m) => m !== "*" && !names.includes(m)).map((m) => `${l.name} → ${m}`));
    expect(unknown, "may-import entries that name no layer").toEqual([]);
  });

  it("covers every source file", () => {
    const uncovered = files.filter((f) => !layerOf(rule, f));
    expect(uncovered, `files no row of the rule in ${DOC} covers: add them to a layer`).toEqual([]);
  });

  it("allows every import under src/", () => {
    const broken: string[] = [];
    for (const [file, targets] of graph) {
      const from = layerOf(rule, file);
      if (!from) continue; // reported above
      for (const target of targets) {
        if (!graph.has(target)) {
          broken.push(`${file} imports ${target}, which is not a source file`);
          continue;
        }
        const to = layerOf(rule, target);
        if (!to || to === from || from.mayImport.includes("*") || from.mayImport.includes(to.name)) continue;
        const allowed = from.mayImport.length > 0 ? from.mayImport.join(", ") : "nothing of ours";
        broken.push(`${file} imports ${target}: layer ${from.name} may import ${allowed} — not ${to.name}`);
      }
    }
    expect(broken, `imports that break the dependency rule in ${DOC}`).toEqual([]);
  });

  it("has no import cycle between files, type imports included", () => {
    const found = cycles(graph).map((c) => cycleIn(c, graph).join(" → "));
    expect(found, "import cycles").toEqual([]);
  });

  it("keeps dialect differences in the adapters: nothing outside src/store compares the store's dialect", () => {
    // The benchmarks are exempt: they create their scratch table in each database's own DDL (the
    // product's schema is the migrations'), which is no decision of the product's code.
    const asks = files
      .filter((f) => !f.startsWith("src/store/") && !f.startsWith("src/bench/"))
      .flatMap((f) =>
        readFileSync(join(ROOT, f), "utf8")
          .split("\n")
          .flatMap((line, i) => (/\bdialect\s*[!=]==|[!=]==\s*\S*\.dialect\b/.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(asks, "a difference between the databases is a capability the store states (Store.concurrentWriters …)").toEqual([]);
  });
});
