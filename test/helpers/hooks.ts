/** Standard Webhooks headers for a delivery signed with a hook's secret, as a sender computes them. */
import { Webhook } from "standardwebhooks";

let seq = 0;

export function signedHeaders(secret: string, body: string, opts: { id?: string; at?: Date } = {}) {
  const id = opts.id ?? `msg_${Date.now()}_${++seq}`;
  const at = opts.at ?? new Date();
  return {
    id,
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(secret).sign(id, at, body),
    },
  };
}
