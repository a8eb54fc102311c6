/**
 * The client of a request, worked out once per request from its connection and, behind a trusted
 * proxy, its forwarding headers (the rule: src/composition/trusted-proxies.ts). Every use of the
 * client's address or scheme reads `client(c)`; nothing else reads the socket's peer or the
 * X-Forwarded-* headers.
 */
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { Context, MiddlewareHandler } from "hono";
import type { Client, TrustedProxies } from "../composition/trusted-proxies.js";
import type { ApiEnv } from "./env.js";

/** Sets the request's client; registered first, so every later middleware and route may read it. */
export function identifyClient(trusted: TrustedProxies): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket;
    c.set(
      "client",
      trusted.clientOf({
        peer: socket?.remoteAddress,
        tls: (socket as TLSSocket | undefined)?.encrypted === true,
        forwardedFor: c.req.header("x-forwarded-for"),
        forwardedProto: c.req.header("x-forwarded-proto"),
      }),
    );
    await next();
  };
}

export function client(c: Context<ApiEnv>): Client {
  return c.get("client");
}
