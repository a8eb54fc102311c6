/**
 * The queue editor's pure form (web/src/pages/routing/queue-form.ts): what it sends is what the
 * server's own schema accepts, a queue read and sent back unchanged is the same queue, numbers
 * typed badly reach the server as something it refuses at their path (never a silent default),
 * and the server's paths read as the form's words and as the condition editor's paths.
 */
import { describe, expect, it } from "vitest";
import { queueCreateSchema, queuePatchSchema } from "../../src/app/routing/routing-schemas.js";
import { bodyOf, dottedPath, draftOf, emptyDraft, pathWords, type QueueView } from "../../web/src/pages/routing/queue-form.js";

const queue: QueueView = {
  id: "q1",
  name: "EMEA inbound",
  description: "New leads",
  strategy: "least_loaded",
  respect_availability: true,
  respect_capacity: true,
  load: { object: "lead", owner_field: "owner_id", where: { field: "status", op: "in", value: ["new", "working"] } },
  fallback: { queue: "q2" },
  fallback_label: "queue After-hours desk",
  members: [
    { user_id: "u1", name: "Gus", weight: 3, capacity: 12 },
    { user_id: "u2", name: "Hana", weight: 1, capacity: null },
  ],
  held: 0,
  version: 4,
  updated_at: "2026-12-01T00:00:00.000Z",
};

describe("the queue form", () => {
  it("sends back a queue read unchanged as the same queue, in a body the server's schemas accept", () => {
    const body = bodyOf(draftOf(queue));
    expect(body).toEqual({
      name: "EMEA inbound",
      description: "New leads",
      strategy: "least_loaded",
      respect_availability: true,
      respect_capacity: true,
      load: queue.load,
      fallback: { queue: "q2" },
      members: [
        { user_id: "u1", weight: 3, capacity: 12 },
        { user_id: "u2", weight: 1 },
      ],
    });
    expect(queueCreateSchema.safeParse(body).success).toBe(true);
    expect(queuePatchSchema.safeParse(body).success).toBe(true);
  });

  it("writes each fallback and no load as the API spells them", () => {
    const d = { ...emptyDraft(), name: "Desk", members: [{ key: "k", user_id: "u1", weight: "1", capacity: "" }] };
    expect(bodyOf(d).fallback).toEqual({ hold: true });
    expect(bodyOf(d).load).toBeNull();
    expect(bodyOf({ ...d, fallback: { kind: "user", queue: "q9", user_id: "u7" } }).fallback).toEqual({ user_id: "u7" });
    expect(bodyOf({ ...d, fallback: { kind: "none", queue: "q9", user_id: "u7" } }).fallback).toBeNull();
    expect(draftOf({ ...queue, fallback: null }).fallback.kind).toBe("none");
    expect(draftOf({ ...queue, fallback: { hold: true } }).fallback.kind).toBe("hold");
  });

  it("sends a weight or cap typed badly as something the server refuses at its path, never as a default", () => {
    const d = { ...emptyDraft(), name: "Desk" };
    for (const typed of ["", "abc", "1e3x"]) {
      const body = bodyOf({ ...d, members: [{ key: "k", user_id: "u1", weight: typed, capacity: typed || "x" }] });
      const parsed = queueCreateSchema.safeParse(JSON.parse(JSON.stringify(body)));
      expect(parsed.success).toBe(false);
      const paths = parsed.error?.issues.map((i) => i.path.join(".")) ?? [];
      expect(paths).toContain("members.0.weight");
      expect(paths).toContain("members.0.capacity");
    }
  });

  it("reads the server's paths in the form's words and as the condition editor's paths", () => {
    expect(pathWords("members[0].weight")).toBe("Member 1, weight");
    expect(pathWords("members[2].user_id")).toBe("Member 3, person");
    expect(pathWords("members")).toBe("Members");
    expect(pathWords("fallback.queue")).toBe("When nobody is free");
    expect(pathWords("load.where.and[1].field")).toBe("Which items count as open");
    expect(pathWords("load")).toBe("Open work");
    expect(dottedPath("load.where.and[1].value[0]")).toBe("load.where.and.1.value.0");
  });
});
