/** The outbox: pending, delivered and dead items, and replaying a dead letter. */

import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Services } from "../../composition/root.js";
import type { OutboxRow } from "../../store/outbox-ports.js";
import type { ApiEnv } from "../env.js";
import { intParam } from "../request.js";
import { presentAttempt } from "./run-schemas.js";

export const presentOutboxItem = (o: OutboxRow) => ({
  id: o.id,
  key: o.key,
  kind: o.kind,
  connector: o.connector,
  subscription_id: o.subscriptionId,
  run_id: o.runId,
  record_id: o.recordId,
  status: o.status,
  attempts: o.attempts,
  next_attempt_at: o.status === "pending" ? o.nextAttemptAt : null,
  last_status: o.lastStatus,
  last_error: o.lastError,
  payload: o.payload,
  result: o.result,
  created_at: o.createdAt,
  updated_at: o.updatedAt,
  delivered_at: o.deliveredAt,
  replayed_by: o.replayedBy,
  replayed_at: o.replayedAt,
});

export function outboxRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const tags = ["Outbox"];
  const json = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });
  const idParam = z.object({ id: z.string() });

  reg.registerPath({
    method: "get",
    path: "/api/v1/outbox",
    tags,
    security,
    summary: "External actions, newest first: pending, delivered or dead (the dead-letter list)",
    request: {
      query: z.object({
        status: z
          .enum(["pending", "failing", "delivered", "dead"])
          .optional()
          .describe("failing: pending again after a failed attempt (being retried); dead: the dead-letter list"),
        limit: z.string().optional().describe("1–200, default 50"),
        before: z.string().optional().describe("the `next` of the previous page"),
      }),
    },
    responses: { 200: { description: "A page of items", ...json(z.object({ data: z.array(z.unknown()), next: z.string().nullable() })) } },
  });
  app.get("/api/v1/outbox", async (c) => {
    const page = await services.outbox.list(c.get("call"), {
      status: c.req.query("status") || undefined,
      limit: intParam(c, "limit"),
      before: c.req.query("before") || undefined,
    });
    return c.json({ data: page.items.map(presentOutboxItem), next: page.next });
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/outbox/{id}",
    tags,
    security,
    summary: "One outbox item: payload, attempts (and each attempt's outcome in attempt_history), last error, what the receiver answered",
    request: { params: idParam },
    responses: { 200: { description: "Item", ...json(z.unknown()) }, 404: { description: "No such item" } },
  });
  app.get("/api/v1/outbox/:id", async (c) => {
    const call = c.get("call");
    const item = await services.outbox.get(call, c.req.param("id"));
    const history = await services.outbox.attempts(call, item.id);
    return c.json({
      ...presentOutboxItem(item),
      attempt_history: history.map(presentAttempt),
    });
  });

  reg.registerPath({
    method: "post",
    path: "/api/v1/outbox/{id}/replay",
    tags,
    security,
    summary: "Replay a dead letter: pending again now, same idempotency key, attempts from zero",
    request: { params: idParam },
    responses: {
      202: { description: "Pending again", ...json(z.unknown()) },
      404: { description: "No such item" },
      409: { description: "The item is not dead (problem+json names its status)" },
    },
  });
  app.post("/api/v1/outbox/:id/replay", async (c) =>
    c.json(presentOutboxItem(await services.outbox.replay(c.get("call"), c.req.param("id"))), 202),
  );
}
