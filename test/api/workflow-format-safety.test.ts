/**
 * What a workflow author cannot do through the API, over real HTTP on both stores: read a file
 * with a template ({% include %}), overflow the stack with conditions nested thousands deep, or
 * publish a "__proto__" key that would be silently dropped at run time. Each is a 4xx naming the
 * path (validate answers 200 with the problem, as it does for every problem; a body nested
 * deeper than any JSON Handoff takes is a 400 at the edge), never a 500.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DEFINITION_LIMITS } from "../../src/engine/limits.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const update = (key: string, fields: Record<string, unknown>) => ({
  key,
  name: key,
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "lead",
  trigger: { type: "manual" },
  start: "set",
  steps: { set: { type: "action", action: { type: "update_fields", fields } } },
});

function notChain(levels: number): unknown {
  let c: unknown = { field: "score", op: "gt", value: 1 };
  for (let i = 1; i < levels; i++) c = { not: c };
  return c;
}

/** `{"definition": …}` with conditions nested `levels` deep, as text: JSON.stringify itself would overflow the stack. */
function deepBody(key: string, levels: number): string {
  const conditions = `${'{"not":'.repeat(levels - 1)}{"field":"score","op":"gt","value":1}${"}".repeat(levels - 1)}`;
  const definition = JSON.stringify(update(key, { title: "x" }));
  return `{"definition":${definition.slice(0, -1)},"conditions":${conditions}}}`;
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`workflow definitions that are refused, over HTTP on ${kind.name}`, () => {
    const env = useTestServer(kind);
    let manager: string;

    beforeAll(async () => {
      manager = (await env.s.services.tokens.create(env.s.workspace.id, "manager", "manager")).secret;
    });

    /** A request as the manager: status and parsed body. `body` is sent as is when it is a string. */
    const call = async (path: string, body: unknown) => {
      const res = await env.s.api(path, {
        method: "POST",
        as: manager,
        headers: { "content-type": "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };
    const save = (definition: unknown) => call("/api/v1/workflows", { definition });
    const validate = (definition: unknown) => call("/api/v1/workflows/validate", { definition });
    const publish = (id: string) => call(`/api/v1/workflows/${id}/publish`, {});

    /** A draft as an earlier release may have saved it, before the format had limits. */
    async function legacyDraft(key: string, definition: unknown): Promise<string> {
      const saved = await save(update(key, { title: "placeholder" }));
      expect(saved.status).toBe(201);
      const store = env.s.services.store;
      const row = await store.workflows.getVersion(env.s.workspace.id, saved.body.id, 1);
      if (!row) throw new Error("no draft");
      await store.transaction((tx) => tx.workflows.upsertVersion({ ...row, definition }));
      return saved.body.id as string;
    }

    describe("a template that reads a file", () => {
      it.each(["data/master.key", "/etc/passwd"])(
        "an include of %s is refused at validate and publish, naming the path and the tag",
        async (file) => {
          const definition = update(`include-${file.replace(/[^a-z]/g, "")}`, { title: `{% include '${file}' %}` });
          const checked = await validate(definition);
          expect(checked.status).toBe(200);
          expect(checked.body.valid).toBe(false);
          expect(checked.body.errors).toEqual([
            expect.objectContaining({
              path: "steps.set.action.fields.title",
              code: "not_in_options",
              message: expect.stringContaining("{% include %} is not allowed"),
            }),
          ]);

          const saved = await save(definition);
          expect(saved.status).toBe(201);
          const published = await publish(saved.body.id);
          expect(published.status).toBe(422);
          expect(published.body.errors).toEqual([
            expect.objectContaining({
              path: "steps.set.action.fields.title",
              message: expect.stringContaining("{% include %} is not allowed"),
            }),
          ]);
          expect((await env.s.get(`/api/v1/workflows/${saved.body.id}`)).live_version).toBeNull();
        },
      );
    });

    describe(`conditions nested deeper than ${DEFINITION_LIMITS.conditionDepth} levels`, () => {
      const tooDeep = `conditions${".not".repeat(DEFINITION_LIMITS.conditionDepth)}`;

      it.each([40, 90])("%i levels: save and validate refuse with the format's limit and the path", async (levels) => {
        const body = deepBody(`deep-${levels}`, levels);
        const saved = await call("/api/v1/workflows", body);
        expect(saved.status).toBe(422);
        expect(saved.body.errors).toEqual([
          {
            path: tooDeep,
            code: "too_big",
            message: `conditions are nested at most ${DEFINITION_LIMITS.conditionDepth} levels deep; this one goes deeper`,
          },
        ]);
        const checked = await call("/api/v1/workflows/validate", body);
        expect(checked.status).toBe(200);
        expect(checked.body).toMatchObject({ valid: false, errors: [{ path: tooDeep, code: "too_big" }] });
      });

      // Deeper than any JSON Handoff takes: the edge refuses the body before the format is read.
      it.each([1_000, 10_000, 100_000])("%i levels: save and validate refuse the body at the edge, naming where", async (levels) => {
        const body = deepBody(`deep-${levels}`, levels);
        for (const path of ["/api/v1/workflows", "/api/v1/workflows/validate"]) {
          const refused = await call(path, body);
          expect(refused.status).toBe(400);
          expect(refused.body.errors).toEqual([
            expect.objectContaining({ code: "too_big", path: expect.stringMatching(/^(definition\.)?conditions(\.not)+$/) }),
          ]);
        }
      });

      it("a draft saved before the limits cannot be published", async () => {
        const id = await legacyDraft("deep-legacy", { ...update("deep-legacy", { title: "x" }), conditions: notChain(1_000) });
        const published = await publish(id);
        expect(published.status).toBe(422);
        expect(published.body.errors).toEqual([expect.objectContaining({ path: tooDeep, code: "too_big" })]);
      });
    });

    describe('"__proto__" in a map of record fields', () => {
      // A raw body: a JS object literal would set the prototype instead of an own "__proto__" key.
      const raw = (key: string, action: string) =>
        `{"definition":{"key":"${key}","name":"${key}","object":"lead","trigger":{"type":"manual"},"start":"set",` +
        `"steps":{"set":{"type":"action","action":${action}}}}}`;
      const cases = [
        ["update_fields", `{"type":"update_fields","fields":{"title":"x","__proto__":{"owner_id":"u1"}}}`, "fields"],
        ["create_record", `{"type":"create_record","object":"task","fields":{"subject":"s","__proto__":"x"}}`, "fields"],
      ] as const;

      it.each(cases)("%s: refused at validate and save, with its path", async (type, action, map) => {
        const path = `steps.set.action.${map}.__proto__`;
        const checked = await call("/api/v1/workflows/validate", raw(`proto-${type.replace("_", "-")}`, action));
        expect(checked.status).toBe(200);
        expect(checked.body).toMatchObject({ valid: false, errors: [{ path, code: "unknown_field" }] });
        const saved = await call("/api/v1/workflows", raw(`proto-${type.replace("_", "-")}`, action));
        expect(saved.status).toBe(422);
        expect(saved.body.errors).toEqual([expect.objectContaining({ path, code: "unknown_field" })]);
      });

      it("a draft saved before the check cannot be published", async () => {
        const definition = JSON.parse(raw("proto-legacy", cases[0][1])).definition;
        expect(Object.hasOwn(definition.steps.set.action.fields, "__proto__")).toBe(true);
        const id = await legacyDraft("proto-legacy", definition);
        const published = await publish(id);
        expect(published.status).toBe(422);
        expect(published.body.errors).toEqual([
          expect.objectContaining({ path: "steps.set.action.fields.__proto__", code: "unknown_field" }),
        ]);
      });
    });
  });
}
