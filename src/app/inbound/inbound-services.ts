/** The services of issue 4's inbound side and of webhook subscriptions, wired together once. */
import type { Store } from "../../store/ports.js";
import type { Clock, IdGenerator, Nudge } from "../ports.js";
import type { RecordWriter } from "../records/record-writer.js";
import type { SecretBox } from "../secrets/secret-box.js";
import { WebhookSubscriptionService } from "../webhooks/subscription-service.js";
import { FormService } from "./form-service.js";
import { FormSubmissions } from "./form-submission.js";
import { HookReceiver } from "./hook-receiver.js";
import { InboundHookService } from "./hook-service.js";
import { Intake } from "./intake.js";
import { RateLimiter } from "./rate-limit.js";

export interface InboundServices {
  hooks: InboundHookService;
  receiver: HookReceiver;
  forms: FormService;
  submissions: FormSubmissions;
  subscriptions: WebhookSubscriptionService;
}

/** `onCommit`: after an accepted delivery commits (its events are new work for the in-process worker). */
export function buildInbound(
  store: Store,
  writer: RecordWriter,
  box: SecretBox,
  clock: Clock,
  ids: IdGenerator,
  onCommit: Nudge,
): InboundServices {
  const intake = new Intake(store, writer, clock, ids, onCommit);
  // One limiter for the process: hooks and forms are counted under distinct keys.
  const limiter = new RateLimiter();
  return {
    hooks: new InboundHookService(store, box, clock, ids),
    receiver: new HookReceiver(store, box, intake, limiter, clock),
    forms: new FormService(store, clock, ids),
    submissions: new FormSubmissions(store, intake, limiter, clock),
    subscriptions: new WebhookSubscriptionService(store, box, clock, ids),
  };
}
