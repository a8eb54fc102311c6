/**
 * The change that meets an SLA — stops its clock "by policy" (docs/sla.md, `stops`) — as a test
 * run makes it when the tester answers "the SLA is met" (issue 19; docs/testing-workflows.md
 * "Answers"). Pure: the sandbox carries it out through its record writer, so that the SLA
 * runtime stops the clock as it would live.
 *
 * - `field_value`: the record's field set to the first value that stops it (or the tester's);
 * - `field_changed`: the field set to the value the tester gives (any other value would be a
 *   guess about the field's options), else a problem naming what to give;
 * - `activity`: an activity of the first type the policy names, about the record, by its owner
 *   (so that a policy stopping only on the owner's activities is met too).
 */
/** A policy's `stops` (the store's `SlaStop` has this shape; crm imports nothing of ours). */
export type SlaStopSpec =
  | { on: "activity"; types: readonly string[]; by: "owner" | "anyone" }
  | { on: "field_value"; field: string; in: readonly unknown[] }
  | { on: "field_changed"; field: string };

export type SlaStopChange =
  | { kind: "update"; fields: Record<string, unknown> }
  | { kind: "activity"; fields: Record<string, unknown> }
  | { kind: "needs_value"; field: string };

export function slaStopChange(
  stop: SlaStopSpec,
  recordId: string,
  ownerId: string | undefined,
  given: Record<string, unknown> = {},
): SlaStopChange {
  switch (stop.on) {
    case "field_value":
      return { kind: "update", fields: { [stop.field]: stop.in[0], ...given } };
    case "field_changed":
      return stop.field in given ? { kind: "update", fields: given } : { kind: "needs_value", field: stop.field };
    case "activity":
      return {
        kind: "activity",
        fields: {
          type: stop.types[0],
          subject: "Logged in a test run",
          related_id: recordId,
          ...(ownerId ? { user_id: ownerId } : {}),
          ...given,
        },
      };
  }
}
