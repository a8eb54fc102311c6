/**
 * The JSON view's text and back, losing nothing: the text is the definition as the server keeps
 * it, pretty-printed with two spaces (keys in their order, unknown keys kept, no defaults added),
 * and reading it back is JSON.parse — so text → definition → text gives the same text. Pure.
 */
import type { WorkflowDefinition } from "../../components/graph/definition";

export const definitionText = (definition: WorkflowDefinition) => JSON.stringify(definition, null, 2);

export type ReadResult =
  | { ok: true; definition: WorkflowDefinition }
  | { ok: false; message: string; line?: number; column?: number; offset?: number };

/** The text as a definition, or why it is not one: a JSON syntax error with its line and column, another key, not an object. */
export function readDefinitionText(text: string, key: string): ReadResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const offset = errorOffset(message, text);
    const { line, column } = lineAndColumn(text, offset);
    return { ok: false, message: `This is not valid JSON yet (line ${line}, column ${column}): ${message}`, line, column, offset };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { ok: false, message: 'The definition is one JSON object: { "key": …, "name": …, … }.' };
  const next = value as WorkflowDefinition;
  if (next.key !== key)
    return {
      ok: false,
      message: `The key cannot change in the builder: it is how Handoff finds this workflow (“${key}”), and saving another key would make another workflow. Put it back to “${key}”; to start from this one under another key, create a new workflow.`,
    };
  return { ok: true, definition: next };
}

/** Where the parser stopped: "at position 42" in V8's messages; the end of the text when it ran out. */
function errorOffset(message: string, text: string): number {
  const at = /position (\d+)/.exec(message);
  if (at?.[1]) return Math.min(Number(at[1]), text.length);
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  if (lineCol?.[1] && lineCol[2]) {
    const lines = text.split("\n").slice(0, Number(lineCol[1]) - 1);
    return lines.reduce((n, l) => n + l.length + 1, 0) + Number(lineCol[2]) - 1;
  }
  return text.length;
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}
