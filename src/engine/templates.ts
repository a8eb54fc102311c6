/**
 * Liquid templates in action values ("Hello {{ record.first_name }}"). Only admin-authored
 * definition strings are compiled; record values are passed in as data and rendered, never
 * compiled (engineering.md §4.2). Unknown filters are errors; a field that is not set renders
 * empty. Which variables a template may use is checked at publish (`templateVariables`).
 */
import { Liquid, type Template } from "liquidjs";

const liquid = new Liquid({ strictVariables: false, strictFilters: true, ownPropertyOnly: true, cache: false });
// HTML bodies: every output is HTML-escaped, so a record value cannot add markup to an email.
const htmlLiquid = new Liquid({ strictVariables: false, strictFilters: true, ownPropertyOnly: true, cache: false, outputEscape: "escape" });
const cache = new Map<string, Template[]>();

export function isTemplate(value: unknown): value is string {
  return typeof value === "string" && (value.includes("{{") || value.includes("{%"));
}

export function renderTemplate(source: string, scope: Record<string, unknown>): string {
  let parsed = cache.get(source);
  if (!parsed) {
    parsed = liquid.parse(source);
    if (cache.size > 5_000) cache.clear();
    cache.set(source, parsed);
  }
  return liquid.renderSync(parsed, scope) as string;
}

/** Like renderTemplate, with every `{{ … }}` output HTML-escaped (the template's own markup stays). */
export function renderHtmlTemplate(source: string, scope: Record<string, unknown>): string {
  return htmlLiquid.parseAndRenderSync(source, scope) as string;
}

/** Checks that a template parses; returns the error message or undefined. */
export function templateError(source: string): string | undefined {
  try {
    liquid.parse(source);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The variable paths a template reads, e.g. [["record", "first_name"]]. */
export function templateVariables(source: string): Array<Array<string | number>> {
  return liquid.globalVariableSegmentsSync(source) as Array<Array<string | number>>;
}
