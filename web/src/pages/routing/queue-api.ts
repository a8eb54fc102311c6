/**
 * A queue's writes (POST, PATCH, DELETE /api/v1/routing/queues, docs/routing.md) and what they
 * make stale. The reads are in data.ts with the other routing reads.
 */
import { api, ifMatch, unwrap } from "../../api/client";
import type { QueueBody } from "./queue-form";

export const createQueue = async (body: QueueBody) => unwrap(await api.POST("/api/v1/routing/queues", { body }));

/** Over the version the form was opened at: a 412 when someone else saved the queue meanwhile. */
export const updateQueue = async (queue: string, version: number, body: QueueBody) =>
  unwrap(await api.PATCH("/api/v1/routing/queues/{queue}", { params: { path: { queue } }, body, headers: ifMatch(version) }));

export const deleteQueue = async (queue: string) => {
  unwrap(await api.DELETE("/api/v1/routing/queues/{queue}", { params: { path: { queue } } }));
};

/**
 * The query keys a queue write makes stale: every queue read (the list, one queue, its holds),
 * the distribution, and the rule sets, whose targets name queues.
 */
export const QUEUE_WRITE_STALES = [
  ["routing", "queues"],
  ["routing", "distribution"],
  ["routing", "rule-sets"],
] as const;
