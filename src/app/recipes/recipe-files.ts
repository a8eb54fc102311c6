/**
 * Where the ready recipes live (recipes/*.json at the package root) and how they are read: the
 * one home for both the gallery (recipe-service.ts) and the demo seed (src/seed/recipes.ts).
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface RecipeFile {
  /** The definition's `key` (the workflow it installs as); the file's name without .json when it has none. */
  key: string;
  file: string;
  definition: unknown;
}

/**
 * The package root: the nearest folder above this module that holds package.json. Works from
 * the compiled dist/ and from src/ (vitest, tsx) alike.
 */
export function packageRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(from)}`);
    dir = parent;
  }
}

export function recipesDir(): string {
  return join(packageRoot(), "recipes");
}

/** Every recipe of the folder, in file name order. A malformed file is an error naming it (it ships with Handoff). */
export async function readRecipes(dir: string): Promise<RecipeFile[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".json")).sort();
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(join(dir, file), "utf8");
      let definition: unknown;
      try {
        definition = JSON.parse(text);
      } catch (error) {
        throw new Error(`recipe ${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
      }
      const key = (definition as { key?: unknown } | null)?.key;
      return { key: typeof key === "string" ? key : file.replace(/\.json$/, ""), file, definition };
    }),
  );
}
