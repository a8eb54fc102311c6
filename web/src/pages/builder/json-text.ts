/**
 * The JSON view's text and back, losing nothing: the text is the definition as the server keeps
 * it, pretty-printed with two spaces (keys in their order, unknown keys kept, no defaults added),
 * and reading it back is JSON.parse — so text → definition → text gives the same text. Pure.
 */
import type { WorkflowDefinition } from "../../components/graph/definition.js";

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
    // The browser's message, without its echo of the text (long, and shown in the textarea already).
    const message = (e instanceof Error ? e.message : String(e))
      .replace(/, ".*" is not valid JSON$/s, "")
      .replace(/ in JSON at position.*$/s, "");
    const offset = syntaxErrorOffset(text);
    const { line, column } = lineAndColumn(text, offset);
    return { ok: false, message: `This is not valid JSON yet (line ${line}, column ${column}): ${message}`, line, column, offset };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { ok: false, message: 'The definition is one JSON object: { "key": …, "name": …, … }.' };
  const next = value as WorkflowDefinition;
  const missing = shapeProblem(value as Record<string, unknown>);
  if (next.key === key && missing)
    return { ok: false, message: `The canvas cannot draw this yet: ${missing}. The server checks everything else, as problems.` };
  if (next.key !== key)
    return {
      ok: false,
      message: `The key cannot change in the builder: it is how Handoff finds this workflow (“${key}”), and saving another key would make another workflow. Put it back to “${key}”; to start from this one under another key, create a new workflow.`,
    };
  return { ok: true, definition: next };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * What the canvas and the panels need to draw a definition at all — a name, an object, a trigger
 * with its type, a start and steps each with its type — or undefined when it is there. Anything
 * else wrong is the server's to say (the problems list), so that the JSON view refuses only what
 * would leave nothing to draw.
 */
function shapeProblem(d: Record<string, unknown>): string | undefined {
  if (typeof d.name !== "string") return '"name" must be text';
  if (typeof d.object !== "string") return '"object" must be text, such as "lead"';
  if (!isObject(d.trigger) || typeof d.trigger.type !== "string") return '"trigger" must be an object with a "type"';
  if (typeof d.start !== "string") return '"start" must name the first step';
  if (!isObject(d.steps)) return '"steps" must be an object of steps by id';
  for (const [id, step] of Object.entries(d.steps))
    if (!isObject(step) || typeof step.type !== "string") return `step "${id}" must be an object with a "type"`;
  return undefined;
}

/**
 * The offset of the first character that breaks the JSON grammar (the text's length when it ends
 * too soon). Browsers' messages give a position for some errors only ("Unexpected token '}', …
 * is not valid JSON" has none), so the line and column come from this small scan instead.
 */
export function syntaxErrorOffset(text: string): number {
  let i = 0;
  const fail = (at: number): never => {
    throw at;
  };
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i] as string)) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) if (text[i++] !== ch) fail(i - 1);
  };
  const string = () => {
    i++; // the opening quote
    while (i < text.length) {
      const ch = text[i] as string;
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === "\\") {
        const esc = text[i + 1];
        if (esc === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail(i);
          i += 6;
        } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) i += 2;
        else fail(i);
      } else if (ch < " ") fail(i);
      else i++;
    }
    fail(i);
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m || m[0] === "" || m[0] === "-") fail(i);
    i += (m as RegExpExecArray)[0].length;
  };
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === "{") {
      i++;
      space();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail(i);
        string();
        space();
        if (text[i] !== ":") fail(i);
        i++;
        value();
        space();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        fail(i);
      }
    }
    if (ch === "[") {
      i++;
      space();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        space();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        fail(i);
      }
    }
    if (ch === '"') string();
    else if (ch === "t") literal("true");
    else if (ch === "f") literal("false");
    else if (ch === "n") literal("null");
    else if (ch === "-" || (ch !== undefined && ch >= "0" && ch <= "9")) number();
    else fail(i);
  };
  try {
    value();
    space();
    if (i < text.length) fail(i);
    return text.length;
  } catch (at) {
    return Math.min(at as number, text.length);
  }
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}
