/**
 * A publish's change note over real HTTP on both stores (issue 15, item 5): the note is kept with
 * the version and served with it (the page and the builder's history show it); a publish without
 * one keeps none; bad notes are refused at the edge with a 400 naming `note` — too long, not text,
 * a NUL or a lone surrogate — and nothing is published.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const definition = (name: string) => ({
  key: "noted",
  name,
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "lead",
  trigger: { type: "record_created" },
  start: "done",
  steps: { done: { type: "end" } },
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`publish with a change note on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, { worker: false });
    let id: string;

    beforeAll(async () => {
      id = (await env.s.post("/api/v1/workflows", { definition: definition("Noted v1") })).id;
    });

    /** The publish call as raw JSON text, so escapes reach the server exactly as written. */
    const publishRaw = (body: string) =>
      fetch(`${env.s.url}/api/v1/workflows/${id}/publish`, {
        method: "POST",
        body,
        headers: { authorization: `Bearer ${env.s.token}`, "content-type": "application/json" },
      });
    const refusedNaming = async (res: Response, path: string) => {
      const text = await res.text();
      expect(res.status, text).toBe(400);
      expect((JSON.parse(text) as Json).errors.map((e: Json) => e.path)).toContain(path);
    };
    const versions = async () => ((await env.s.get(`/api/v1/workflows/${id}`)).versions as Json[]).map((v) => [v.version, v.state, v.note]);

    it("refuses a note that is too long, not text, or holds a NUL or a lone surrogate — naming note, publishing nothing", async () => {
      await refusedNaming(await publishRaw(JSON.stringify({ note: "x".repeat(3000) })), "note");
      await refusedNaming(await publishRaw(JSON.stringify({ note: 42 })), "note");
      await refusedNaming(await publishRaw(JSON.stringify({ note: ["a"] })), "note");
      await refusedNaming(await publishRaw('{"note": "before\\u0000after"}'), "note");
      await refusedNaming(await publishRaw('{"note": "half \\ud800 a pair"}'), "note");
      expect(await versions()).toEqual([[1, "draft", null]]);
    });

    it("keeps the note with the published version; the next draft has none until it is published with its own", async () => {
      const note = "First version: every new lead is counted. Ünïcödé and emoji 🚀 kept as written.";
      const published = await env.s.json(`/api/v1/workflows/${id}/publish`, { method: "POST", json: { note } });
      expect(published.versions.map((v: Json) => [v.version, v.note])).toEqual([[1, note]]);
      // A note of exactly 2,000 characters is the limit, and is kept whole.
      await env.s.post("/api/v1/workflows", { definition: definition("Noted v2") });
      expect(await versions()).toEqual([
        [2, "draft", null],
        [1, "published", note],
      ]);
      const longest = "y".repeat(2000);
      await env.s.json(`/api/v1/workflows/${id}/publish`, { method: "POST", json: { note: longest } });
      expect(await versions()).toEqual([
        [2, "published", longest],
        [1, "archived", note],
      ]);
    });

    it("a publish without a note (no body, {} or null) keeps none; a blank note is none", async () => {
      await env.s.post("/api/v1/workflows", { definition: definition("Noted v3") });
      const res = await fetch(`${env.s.url}/api/v1/workflows/${id}/publish`, {
        method: "POST",
        headers: { authorization: `Bearer ${env.s.token}` },
      });
      expect(res.status).toBe(200);
      await env.s.post("/api/v1/workflows", { definition: definition("Noted v4") });
      await env.s.json(`/api/v1/workflows/${id}/publish`, { method: "POST", json: { note: null } });
      await env.s.post("/api/v1/workflows", { definition: definition("Noted v5") });
      await env.s.json(`/api/v1/workflows/${id}/publish`, { method: "POST", json: { note: "   " } });
      expect((await versions()).slice(0, 3)).toEqual([
        [5, "published", null],
        [4, "archived", null],
        [3, "archived", null],
      ]);
    });
  });
}
