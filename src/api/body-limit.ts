/**
 * The one JSON body limit of the API and its public routes: a body over `limit` bytes is refused
 * with a 413 problem naming the body, before any handler (or a signature check) reads it.
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ApiEnv } from "./env.js";
import { problem } from "./problem.js";

export function jsonBodyLimit(limit: number): MiddlewareHandler<ApiEnv> {
  return bodyLimit({
    maxSize: limit,
    onError: (c) =>
      problem(c, "payload_too_large", `the body is larger than ${limit} bytes`, [
        { path: ["body"], code: "too_big", message: `at most ${limit} bytes` },
      ]),
  });
}
