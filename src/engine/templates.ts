/**
 * Liquid templates in action values ("Hello {{ record.first_name }}"): the one sandbox every
 * template of Handoff is checked and rendered by — workflow steps, email subjects and bodies,
 * HTTP paths, headers and bodies, chat messages. Only admin-authored definition strings are
 * compiled; record values are passed in as data and rendered, never compiled (engineering.md §4.2).
 *
 * The sandbox reaches nothing outside the template (docs/security.md, "Templates"):
 * - only the tags and filters of the allow-lists below exist in it; every other one — `include`,
 *   `render`, `layout`, `block`, and whatever a later LiquidJS adds — is removed, so parsing a
 *   template that uses one fails, at publish and again when it renders;
 * - its file system has no files, and it has no roots to look them up in, so even a tag that
 *   slipped through could not read one;
 * - a template is at most `TEMPLATE_LIMITS.chars` characters, and each render is bounded in the
 *   memory its filters and ranges allocate and in time.
 *
 * Unknown filters are errors; a field that is not set renders empty. Which variables a template
 * may use is checked at publish (`templateVariables`).
 */
import { type FS, Liquid, LiquidError, type LiquidOptions, TagToken, type Template } from "liquidjs";

/** The tags a template may use (`else`, `elsif`, `when` and the `end…` tags belong to them). */
export const ALLOWED_TAGS = [
  "assign",
  "capture",
  "case",
  "if",
  "unless",
  "for",
  "break",
  "continue",
  "echo",
  "comment",
  "#",
  "raw",
] as const;

/** The filters a template may use: text, numbers and lists, nothing that reads the clock or draws randomness. */
export const ALLOWED_FILTERS = [
  // text
  "append",
  "prepend",
  "capitalize",
  "downcase",
  "upcase",
  "strip",
  "lstrip",
  "rstrip",
  "strip_newlines",
  "strip_html",
  "newline_to_br",
  "remove",
  "remove_first",
  "remove_last",
  "replace",
  "replace_first",
  "replace_last",
  "truncate",
  "truncatewords",
  "split",
  "slice",
  "size",
  "default",
  "escape",
  "escape_once",
  "url_encode",
  "url_decode",
  // `raw` only matters in an email's html, where validate.ts refuses it (it would undo the escaping).
  "raw",
  // numbers
  "abs",
  "at_least",
  "at_most",
  "ceil",
  "floor",
  "round",
  "plus",
  "minus",
  "times",
  "divided_by",
  "modulo",
  // lists
  "join",
  "first",
  "last",
  "reverse",
  "sort",
  "sort_natural",
  "uniq",
  "compact",
] as const;

export const TEMPLATE_LIMITS = {
  /** Characters of one template (also LiquidJS's parseLimit). */
  chars: 10_000,
  /** LiquidJS's memoryLimit: characters and items its filters and ranges may allocate in one render. */
  memory: 1_000_000,
  /** LiquidJS's renderLimit: milliseconds one render may take. */
  renderMs: 500,
} as const;

const TAGS: ReadonlySet<string> = new Set(ALLOWED_TAGS);
const FILTERS: ReadonlySet<string> = new Set(ALLOWED_FILTERS);

/** A file system without files: nothing is found, nothing can be read, nothing is inside a root. */
const NO_FILES: FS = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async (file: string) => {
    throw new Error(`templates cannot read files (${file})`);
  },
  readFileSync: (file: string) => {
    throw new Error(`templates cannot read files (${file})`);
  },
  resolve: (_dir: string, file: string) => file,
  contains: async () => false,
  containsSync: () => false,
  sep: "/",
  dirname: () => "",
};

/** The tags a plain LiquidJS instance has: a refused tag is named as such, an unknown one as unknown. */
const LIQUIDJS_TAGS: ReadonlySet<string> = new Set(Object.keys(new Liquid().tags));

/** A Liquid instance configured as the sandbox (exported for the tests that try to break out of it). */
export function sandboxLiquid(extra: LiquidOptions = {}): Liquid {
  const liquid = new Liquid({
    ...extra,
    strictVariables: false,
    strictFilters: true,
    ownPropertyOnly: true,
    cache: false,
    fs: NO_FILES,
    root: [],
    partials: [],
    layouts: [],
    relativeReference: false,
    parseLimit: TEMPLATE_LIMITS.chars,
    memoryLimit: TEMPLATE_LIMITS.memory,
    renderLimit: TEMPLATE_LIMITS.renderMs,
  });
  // Removing rather than listing what to remove: a tag or filter a later LiquidJS adds is refused too.
  for (const name of Object.keys(liquid.tags)) if (!TAGS.has(name)) Reflect.deleteProperty(liquid.tags, name);
  for (const name of Object.keys(liquid.filters)) if (!FILTERS.has(name)) liquid.unregisterFilter(name);
  return liquid;
}

/** A template that is refused: why, as a validation problem (validate.ts adds the path). */
export interface TemplateProblem {
  code: "too_long" | "not_in_options" | "invalid_value";
  message: string;
  expected?: readonly string[];
}

/** Thrown when a refused template is rendered: fails the step with the same sentence publish would have shown. */
export class TemplateRefusedError extends Error {
  readonly retryable = false;
}

function describe(error: unknown): TemplateProblem {
  const message = error instanceof Error ? error.message : String(error);
  // The parser looks every tag up in the sandbox's registry; one that is not there fails with its token.
  const token = LiquidError.is(error) ? (error as LiquidError).token : undefined;
  if (token instanceof TagToken && !TAGS.has(token.name)) {
    const what = LIQUIDJS_TAGS.has(token.name)
      ? `the tag {% ${token.name} %} is not allowed (templates reach nothing outside themselves)`
      : `there is no tag {% ${token.name} %}`;
    return {
      code: "not_in_options",
      message: `${what}; tags allowed: ${ALLOWED_TAGS.join(", ")}`,
      expected: ALLOWED_TAGS,
    };
  }
  // strictFilters: the filter is named only in the message ("undefined filter: name").
  const filter = /undefined filter: ([^\s,]+)/.exec(message)?.[1];
  if (filter && !FILTERS.has(filter)) {
    return {
      code: "not_in_options",
      message: `the filter "${filter}" is not allowed; filters allowed: ${ALLOWED_FILTERS.join(", ")}`,
      expected: ALLOWED_FILTERS,
    };
  }
  return { code: "invalid_value", message: `template does not parse: ${message}` };
}

/**
 * One sandbox with its cache of parsed templates. Only templates of published definitions are
 * cached (by render): validation parses without caching, or anyone allowed to validate could
 * fill the cache with templates of their own. The cache is bounded in characters of source.
 */
class Sandbox {
  private readonly cache = new Map<string, Template[]>();
  private cachedChars = 0;
  constructor(readonly liquid: Liquid) {}

  /** The parsed template, or the reason it is refused. */
  parse(source: string, keep = false): { ok: true; template: Template[] } | { ok: false; problem: TemplateProblem } {
    const cached = this.cache.get(source);
    if (cached) return { ok: true, template: cached };
    if (source.length > TEMPLATE_LIMITS.chars) {
      return {
        ok: false,
        problem: { code: "too_long", message: `a template has at most ${TEMPLATE_LIMITS.chars} characters; this one has ${source.length}` },
      };
    }
    try {
      const template = this.liquid.parse(source);
      if (keep) {
        if (this.cache.size >= 5_000 || this.cachedChars + source.length > 5_000_000) {
          this.cache.clear();
          this.cachedChars = 0;
        }
        this.cache.set(source, template);
        this.cachedChars += source.length;
      }
      return { ok: true, template };
    } catch (error) {
      return { ok: false, problem: describe(error) };
    }
  }

  render(source: string, scope: Record<string, unknown>): string {
    const parsed = this.parse(source, true);
    if (!parsed.ok) throw new TemplateRefusedError(parsed.problem.message);
    return this.liquid.renderSync(parsed.template, scope) as string;
  }
}

const text = new Sandbox(sandboxLiquid());
// HTML bodies: every output is HTML-escaped, so a record value cannot add markup to an email.
const html = new Sandbox(sandboxLiquid({ outputEscape: "escape" }));

/** The tag names of the sandbox: what a template can use, read from the instance itself (tests). */
export function sandboxTags(): string[] {
  return Object.keys(text.liquid.tags);
}

/** The filter names of the sandbox (tests). */
export function sandboxFilters(): string[] {
  return Object.keys(text.liquid.filters);
}

export function isTemplate(value: unknown): value is string {
  return typeof value === "string" && (value.includes("{{") || value.includes("{%"));
}

export function renderTemplate(source: string, scope: Record<string, unknown>): string {
  return text.render(source, scope);
}

/** Like renderTemplate, with every `{{ … }}` output HTML-escaped (the template's own markup stays). */
export function renderHtmlTemplate(source: string, scope: Record<string, unknown>): string {
  return html.render(source, scope);
}

/** Why a template is refused (too long, a tag or filter not allowed, does not parse), or undefined. */
export function templateProblem(source: string): TemplateProblem | undefined {
  const parsed = text.parse(source);
  return parsed.ok ? undefined : parsed.problem;
}

/** Checks that a template is accepted; returns the reason it is not, or undefined. */
export function templateError(source: string): string | undefined {
  return templateProblem(source)?.message;
}

/** The variable paths a template reads, e.g. [["record", "first_name"]]. Call on an accepted template. */
export function templateVariables(source: string): Array<Array<string | number>> {
  const parsed = text.parse(source);
  if (!parsed.ok) return [];
  return text.liquid.globalVariableSegmentsSync(parsed.template) as Array<Array<string | number>>;
}
