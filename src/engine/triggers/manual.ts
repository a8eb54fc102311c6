/** `manual`: records are enrolled by hand (API, CLI) or by another workflow's `enroll`; no event fires it. */
import { noChecks, type TriggerKind } from "./kind.js";

export const manual: TriggerKind<"manual"> = {
  indexKey: () => undefined,
  fires: () => false,
  check: noChecks,
};
