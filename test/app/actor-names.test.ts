/**
 * Who made a change, in words (src/app/records/actor-names.ts): users by name, API tokens by
 * theirs, workflows by theirs, inbound intake by its form or hook, Handoff itself, and what is
 * left of an actor that no longer resolves. The reads are plain in-memory stand-ins: the
 * function's logic is what is tested here; the stores' reads have their own conformance suite.
 */
import { describe, expect, it } from "vitest";
import { actorNames } from "../../src/app/records/actor-names.js";
import type { ActorRef } from "../../src/crm/actor.js";

const store = {
  records: {
    getRecords: async (_ws: string, ids: readonly string[]) =>
      [{ id: "u1", object: "user", data: { name: "Priya Larsen" } }].filter((r) => ids.includes(r.id)) as never,
  },
  tokens: { listTokens: async () => [{ id: "t1", name: "CRM sync" }] as never },
  workflows: { listWorkflows: async () => [{ id: "w1", name: "Speed to lead" }] as never },
};

describe("actorNames", () => {
  it("names each kind of actor as a person reading a timeline would", async () => {
    const actors: ActorRef[] = [
      { kind: "person", id: "u1" },
      { kind: "person", id: "t1" },
      { kind: "integration", id: "t1" },
      { kind: "workflow", id: "w1" },
      { kind: "integration", id: "form:contact-sales" },
      { kind: "integration", id: "hook:billing:v2" },
      { kind: "system", id: "seed" },
      { kind: "system", id: "sla" },
      { kind: "person", id: "gone" },
      { kind: "integration", id: "gone" },
      { kind: "workflow", id: "gone" },
    ];
    const names = await actorNames(store, "ws", actors);
    expect(Object.fromEntries(names)).toEqual({
      "person:u1": "Priya Larsen",
      "person:t1": "API token “CRM sync”",
      "integration:t1": "API token “CRM sync”",
      "workflow:w1": "Speed to lead",
      "integration:form:contact-sales": "the web form “contact-sales”",
      "integration:hook:billing:v2": "the inbound hook “billing:v2”",
      "system:seed": "Handoff (seed)",
      "system:sla": "Handoff (sla)",
      "person:gone": "a former user",
      "integration:gone": "an integration",
      "workflow:gone": "a workflow since deleted",
    });
  });
});
