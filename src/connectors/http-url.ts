/**
 * The one rule for an outbound URL a workspace configures (an HTTP connector's base URL, a chat
 * webhook, a webhook subscription): http or https, a host, no credentials in it. Part of the
 * connector contract: the connectors and the application services that take such URLs share it.
 */
import { z } from "zod";

/** An http(s) URL with a host and no user info: credentials belong in auth and secrets, where they are sealed. */
export const httpUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "" && u.username === "" && u.password === "";
    } catch {
      return false;
    }
  }, "expected an http:// or https:// URL without user:password (put credentials in auth and secrets)");
