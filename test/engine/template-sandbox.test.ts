/**
 * The Liquid sandbox (src/engine/templates.ts): templates reach no file system and no network.
 * Every tag and filter LiquidJS registers that is not on Handoff's allow-lists is refused at
 * publish with its path, and again when it renders (defence in depth); the sandbox cannot read a
 * file even when a file tag is put back into it; a template is bounded in size, memory and time.
 */
import { realpathSync } from "node:fs";
import { Liquid } from "liquidjs";
import { describe, expect, it } from "vitest";
import { buildChatPayload } from "../../src/connectors/chat/chat-payload.js";
import { buildHttpPayload } from "../../src/connectors/http/http-payload.js";
import { buildEmailPayload } from "../../src/connectors/smtp/email-payload.js";
import { fieldsOf } from "../../src/crm/custom-fields.js";
import { compileWorkflow } from "../../src/engine/compile.js";
import { decide } from "../../src/engine/decide.js";
import { workflowSchema } from "../../src/engine/definition.js";
import { initialState } from "../../src/engine/run-state.js";
import {
  ALLOWED_FILTERS,
  ALLOWED_TAGS,
  renderHtmlTemplate,
  renderTemplate,
  sandboxFilters,
  sandboxLiquid,
  sandboxTags,
  TEMPLATE_LIMITS,
  TemplateRefusedError,
} from "../../src/engine/templates.js";
import { validateWorkflow } from "../../src/engine/validate.js";
import type { StoredRecord } from "../../src/store/ports.js";

const fields = (o: Parameters<typeof fieldsOf>[0]) => fieldsOf(o, []);
/** What a plain LiquidJS registers: a tag or filter it adds in a later version is in these lists too. */
const LIQUIDJS = new Liquid();
const REFUSED_TAGS = Object.keys(LIQUIDJS.tags).filter((t) => !(ALLOWED_TAGS as readonly string[]).includes(t));
const REFUSED_FILTERS = Object.keys(LIQUIDJS.filters).filter((f) => !(ALLOWED_FILTERS as readonly string[]).includes(f));

/** A lead workflow whose one step is `action`. */
function withAction(action: Record<string, unknown>) {
  return {
    key: "tpl",
    name: "Templates",
    object: "lead",
    trigger: { type: "manual" },
    start: "a",
    steps: { a: { type: "action", action, next: "done" }, done: { type: "end" } },
  };
}
const setTitle = (title: string) => withAction({ type: "update_fields", fields: { title } });

const issuesOf = (def: unknown) => {
  const v = validateWorkflow(def, fields);
  return v.ok ? [] : v.issues;
};

/** Runs the first step of a definition that was never validated (as if a check had been bypassed). */
function runUnchecked(def: unknown) {
  const w = compileWorkflow(workflowSchema.parse(def));
  const facts = { record: { id: "lead1", first_name: "Ada" }, refs: {}, counts: {}, nowMs: 0 };
  return decide(w, initialState("a"), { kind: "continue" }, facts, { runId: "r", seq: 1, nowMs: 0, timeZone: "UTC" });
}

describe("the tags and filters of the sandbox", () => {
  it("are exactly the allow-lists", () => {
    expect(sandboxTags().sort()).toEqual([...ALLOWED_TAGS].sort());
    expect(sandboxFilters().sort()).toEqual([...ALLOWED_FILTERS].sort());
    // The file tags are among what LiquidJS registers, so the loops below do cover them.
    expect(REFUSED_TAGS).toEqual(expect.arrayContaining(["include", "render", "layout", "block"]));
  });

  it.each(REFUSED_TAGS)("the %s tag is refused at publish, with its path and the allowed tags", (tag) => {
    const issues = issuesOf(setTitle(`Hi {% ${tag} 'data/master.key' %}`));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: ["steps", "a", "action", "fields", "title"], code: "not_in_options", expected: ALLOWED_TAGS });
    expect(issues[0]?.message).toContain(`{% ${tag} %} is not allowed`);
    expect(issues[0]?.message).toContain(ALLOWED_TAGS.join(", "));
  });

  it.each(REFUSED_TAGS)("the %s tag is refused when it renders, too: the step fails and reads nothing", (tag) => {
    const source = `{% if true %}{% ${tag} 'data/master.key' %}{% endif %}`;
    expect(() => renderTemplate(source, {})).toThrow(TemplateRefusedError);
    expect(() => renderHtmlTemplate(source, {})).toThrow(TemplateRefusedError);
    const d = runUnchecked(setTitle(source));
    expect(d.commands).toEqual([]);
    expect(d.state).toMatchObject({ status: "failed" });
    expect(d.state.reason).toContain(`{% ${tag} %} is not allowed`);
  });

  it.each(REFUSED_FILTERS)("the %s filter is refused at publish and at render", (filter) => {
    const source = `{{ record.first_name | ${filter} }}`;
    const issues = issuesOf(setTitle(source));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: ["steps", "a", "action", "fields", "title"], code: "not_in_options" });
    expect(issues[0]?.message).toContain(`"${filter}" is not allowed`);
    expect(() => renderTemplate(source, {})).toThrow(TemplateRefusedError);
  });

  it("accepts what the allow-lists offer", () => {
    const source =
      "{% assign n = record.first_name | downcase | strip %}{% if n == 'ada' %}{{ n | capitalize | append: '!' }}{% else %}{{ n | default: 'there' }}{% endif %}";
    expect(issuesOf(setTitle(source))).toEqual([]);
    expect(renderTemplate(source, { record: { first_name: " ADA " } })).toBe("Ada!");
  });
});

describe("every template of the format goes through the one check", () => {
  const include = "{% include 'data/master.key' %}";
  const cases: Array<[string, Record<string, unknown>, Array<string | number>]> = [
    ["update_fields", { type: "update_fields", fields: { title: include } }, ["fields", "title"]],
    ["create_record", { type: "create_record", object: "task", fields: { subject: include } }, ["fields", "subject"]],
    ["create_task subject", { type: "create_task", subject: include }, ["subject"]],
    ["create_task description", { type: "create_task", subject: "s", description: include }, ["description"]],
    ["add_activity body", { type: "add_activity", subject: "s", body: include }, ["body"]],
    ["notify", { type: "notify", to: { field: "owner_id" }, message: include }, ["message"]],
    ["send_chat", { type: "send_chat", text: include }, ["text"]],
    ["send_email subject", { type: "send_email", to: { record_email: true }, subject: include, text: "t" }, ["subject"]],
    ["send_email text", { type: "send_email", to: { record_email: true }, subject: "s", text: include }, ["text"]],
    ["send_email html", { type: "send_email", to: { record_email: true }, subject: "s", html: include }, ["html"]],
    ["http_request path", { type: "http_request", connector: "crm", path: include }, ["path"]],
    ["http_request header", { type: "http_request", connector: "crm", headers: { "x-a": include } }, ["headers", "x-a"]],
    ["http_request body", { type: "http_request", connector: "crm", body: { a: [{ b: include }] } }, ["body", "a", 0, "b"]],
  ];
  it.each(cases)("%s", (_name, action, path) => {
    const issues = issuesOf(withAction(action));
    expect(issues.map((i) => [i.path, i.code])).toEqual([[["steps", "a", "action", ...path], "not_in_options"]]);
  });

  it("and every outbox payload renders through the sandbox", () => {
    const T = "2026-01-01T00:00:00.000Z";
    const record: StoredRecord = {
      workspaceId: "ws",
      id: "l1",
      object: "lead",
      version: 1,
      data: { email: "a@b.test" },
      createdAt: T,
      updatedAt: T,
    };
    const refused = expect.objectContaining({ message: expect.stringContaining("{% include %} is not allowed") });
    const email = { type: "send_email", connector: "email", to: { record_email: true }, reply_to_owner: false } as const;
    expect(() => buildEmailPayload({ ...email, subject: include, text: "t" }, { record }, "k")).toThrow(refused);
    expect(() => buildEmailPayload({ ...email, subject: "s", text: include }, { record }, "k")).toThrow(refused);
    expect(() => buildEmailPayload({ ...email, subject: "s", html: include }, { record }, "k")).toThrow(refused);
    expect(() => buildChatPayload({ type: "send_chat", connector: "chat", text: include }, { record }, "k")).toThrow(refused);
    const http = { type: "http_request", connector: "crm", method: "POST", path: "", only_if_empty: false } as const;
    expect(() => buildHttpPayload({ ...http, path: include }, { record, owner: null, company: null, recipient: null }, "k")).toThrow(
      refused,
    );
    expect(() => buildHttpPayload({ ...http, body: { a: include } }, { record, owner: null, company: null, recipient: null }, "k")).toThrow(
      refused,
    );
  });
});

describe("the sandbox cannot read files, even with a file tag put back", () => {
  // A real file under the working directory, by a relative and by an absolute path, and one outside it.
  const files = ["package.json", realpathSync("package.json"), "/etc/passwd", "../../../../../../etc/passwd"];
  for (const tag of ["include", "render", "layout"]) {
    it.each(files)(`${tag} of %s finds no file`, async (file) => {
      const liquid = sandboxLiquid();
      liquid.tags[tag] = LIQUIDJS.tags[tag] as (typeof liquid.tags)[string];
      const source = `{% ${tag} '${file}' %}`;
      expect(() => liquid.parseAndRenderSync(source, {})).toThrow(/Failed to lookup/);
      await expect(liquid.parseAndRender(source, {})).rejects.toThrow(/Failed to lookup/);
    });
  }
});

describe("limits", () => {
  it(`a template has at most ${TEMPLATE_LIMITS.chars} characters, at publish and at render`, () => {
    const fits = `{{ record.first_name }}${"x".repeat(TEMPLATE_LIMITS.chars - 23)}`;
    expect(fits).toHaveLength(TEMPLATE_LIMITS.chars);
    expect(issuesOf(setTitle(fits))).toEqual([]);
    const issues = issuesOf(setTitle(`${fits}x`));
    expect(issues).toMatchObject([{ path: ["steps", "a", "action", "fields", "title"], code: "too_long" }]);
    expect(issues[0]?.message).toContain(`at most ${TEMPLATE_LIMITS.chars} characters`);
    expect(() => renderTemplate(`${fits}x`, {})).toThrow(TemplateRefusedError);
  });

  it("a render that allocates too much stops", () => {
    // Doubling a string: 2^60 characters if nothing stopped it.
    const source = "{% assign s = 'xxxxxxxx' %}{% for i in (1..60) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}";
    expect(() => renderTemplate(source, {})).toThrow(/memory alloc limit exceeded/);
  });

  it("a render that takes too long stops", () => {
    // 100^4 iterations over a small list: no allocation to count, so the time limit stops it.
    const source =
      "{% for a in record.l %}{% for b in record.l %}{% for c in record.l %}{% for d in record.l %}.{% endfor %}{% endfor %}{% endfor %}{% endfor %}";
    const started = performance.now();
    expect(() => renderTemplate(source, { record: { l: Array.from({ length: 100 }, (_, i) => i) } })).toThrow(/render limit exceeded/);
    expect(performance.now() - started).toBeLessThan(TEMPLATE_LIMITS.renderMs * 4);
  });
});
