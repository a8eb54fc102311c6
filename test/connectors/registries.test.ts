/**
 * The connector and action registries agree: each external action is rendered into items of the
 * outbox kind that its connector's deliverer takes, and no two connectors deliver the same kind.
 */
import { describe, expect, it } from "vitest";
import { ACTIONS } from "../../src/connectors/actions.js";
import type { DelivererDeps, ExternalActionType, OutboxView, PayloadBuilder } from "../../src/connectors/contract.js";
import { EgressGuard } from "../../src/connectors/egress/guard.js";
import { CONNECTOR_KIND_NAMES, CONNECTORS, connectorDeliverers } from "../../src/connectors/registry.js";
import { actionSchema } from "../../src/engine/definition.js";
import type { StoredRecord } from "../../src/store/ports.js";

const deps: DelivererDeps = {
  egress: new EgressGuard({ allow: [] }),
  now: () => 0,
  suppressions: { getSuppression: async () => undefined },
};

/** One action of each external type, as an author writes it (typed over the union: a new action needs one). */
const SAMPLES: { [T in ExternalActionType]: unknown } = {
  send_email: { type: "send_email", to: { record_email: true }, subject: "Hi {{ record.first_name }}", text: "Hello" },
  http_request: { type: "http_request", connector: "enrichment", method: "POST", path: "/lookup", body: { email: "{{ record.email }}" } },
  send_chat: { type: "send_chat", text: "New lead {{ record.first_name }}" },
};

const lead: StoredRecord = {
  workspaceId: "ws",
  id: "lead1",
  object: "lead",
  version: 1,
  data: { first_name: "Ada", email: "ada@example.test" },
  createdAt: "2026-03-02T09:00:00.000Z",
  updatedAt: "2026-03-02T09:00:00.000Z",
};
const view: OutboxView = { record: lead, owner: null, company: null, recipient: null };

describe("the connector and action registries", () => {
  it("give each connector kind a deliverer of its own outbox kind", () => {
    const kinds = connectorDeliverers(deps).map((d) => d.kind);
    expect(kinds).toHaveLength(CONNECTOR_KIND_NAMES.length);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds).not.toContain("webhook");
  });

  it.each(Object.keys(ACTIONS) as ExternalActionType[])("render %s into items its connector's deliverer takes", (type) => {
    const action = actionSchema.parse(SAMPLES[type]);
    const entry = ACTIONS[type];
    const built = (entry.build as PayloadBuilder)(action as never, view, "run1:step1:1");
    expect(built.kind).toBe(CONNECTORS[entry.connector].deliverer(deps).kind);
    expect(built.connector).toBe((action as { connector: string }).connector);
  });
});
