/**
 * The builder's rules of saving a draft (web/src/pages/builder/draft-saver.ts), driven directly
 * with a server whose answers the test releases one by one: no edit is lost when it is made
 * while a save is on its way, one save runs at a time, an edit undone needs no save, a refusal
 * says why and a retry saves what is latest, and a forced save sends an unchanged definition.
 */
import { describe, expect, it } from "vitest";
import type { WorkflowDefinition } from "../../web/src/components/graph/definition.js";
import { DraftSaver, type PostResult, type SaveStatus } from "../../web/src/pages/builder/draft-saver.js";

const def = (name: string) =>
  ({
    key: "k1",
    name,
    object: "lead",
    trigger: { type: "manual" },
    start: "done",
    steps: { done: { type: "end" } },
  }) as unknown as WorkflowDefinition;

/** A server the test answers by hand: each POST waits until `answer` releases it. */
function slowServer() {
  const posted: string[] = [];
  const waiting: Array<(r: PostResult) => void> = [];
  let inFlight = 0;
  let most = 0;
  return {
    posted,
    get most() {
      return most;
    },
    post: (d: WorkflowDefinition) => {
      posted.push(d.name);
      inFlight++;
      most = Math.max(most, inFlight);
      return new Promise<PostResult>((resolve) =>
        waiting.push((r) => {
          inFlight--;
          resolve(r);
        }),
      );
    },
    answer: async (r: PostResult) => {
      for (let i = 0; i < 20 && waiting.length === 0; i++) await Promise.resolve();
      const next = waiting.shift();
      if (!next) throw new Error("no save is waiting for an answer");
      next(r);
      for (let i = 0; i < 20; i++) await Promise.resolve();
    },
  };
}

const open = (server: ReturnType<typeof slowServer>, statuses: SaveStatus[]) =>
  new DraftSaver({ definition: def("v0"), version: 1, savedAt: new Date(0) }, server.post, (s) => statuses.push(s));

describe("saving a draft", () => {
  it("saves an edit made while a save is on its way right after it: none is lost, one save at a time", async () => {
    const server = slowServer();
    const statuses: SaveStatus[] = [];
    const saver = open(server, statuses);
    saver.edit(def("a"));
    const first = saver.saveNow();
    saver.edit(def("b"));
    void saver.saveNow(); // the debounce of the second edit fires during the first save
    saver.edit(def("c"));
    await server.answer({ ok: true, version: 1 });
    await server.answer({ ok: true, version: 1 });
    expect(await first).toBe(true);
    expect(server.posted).toEqual(["a", "c"]);
    expect(server.most).toBe(1);
    expect(saver.dirty).toBe(false);
    expect(statuses.at(-1)).toMatchObject({ kind: "saved", version: 1 });
  });

  it("needs no save for an edit undone back to what was saved", async () => {
    const server = slowServer();
    const saver = open(server, []);
    saver.edit(def("a"));
    saver.edit(def("v0"));
    expect(saver.dirty).toBe(false);
    expect(await saver.saveNow()).toBe(true);
    expect(server.posted).toEqual([]);
  });

  it("says why a save was refused, stays dirty, and a retry saves the latest edit", async () => {
    const server = slowServer();
    const statuses: SaveStatus[] = [];
    const saver = open(server, statuses);
    saver.edit(def("a"));
    const failed = saver.saveNow();
    await server.answer({ ok: false, reason: "the workflow does not follow the format yet" });
    expect(await failed).toBe(false);
    expect(statuses.at(-1)).toEqual({ kind: "failed", reason: "the workflow does not follow the format yet" });
    expect(saver.dirty).toBe(true);
    saver.edit(def("b"));
    expect(statuses.at(-1)).toEqual({ kind: "pending" });
    const retried = saver.saveNow();
    await server.answer({ ok: true, version: 2 });
    expect(await retried).toBe(true);
    expect(server.posted).toEqual(["a", "b"]);
    // Saving onto a published version made version 2 the draft.
    expect(saver.version).toBe(2);
  });

  it("a forced save sends the unchanged definition (a new draft of what is live), after the save under way", async () => {
    const server = slowServer();
    const saver = open(server, []);
    // Unchanged: an ordinary save sends nothing.
    expect(await saver.saveNow()).toBe(true);
    expect(server.posted).toEqual([]);
    saver.edit(def("a"));
    const ordinary = saver.saveNow();
    const forced = saver.saveNow(true);
    await server.answer({ ok: true, version: 1 });
    await server.answer({ ok: true, version: 2 });
    expect(await ordinary).toBe(true);
    expect(await forced).toBe(true);
    expect(server.posted).toEqual(["a", "a"]);
    expect(server.most).toBe(1);
    expect(saver.version).toBe(2);
  });
});
