/**
 * Conflict warnings on the wire (issue 19, item 4; docs/testing-workflows.md "Conflicts"): what
 * the publish preview lists, what a refused publish names, and the acknowledgement kept with a
 * published version.
 */
import { z } from "@hono/zod-openapi";
import type { ConflictWarning } from "../../engine/conflicts/find.js";
import type { ConflictAcknowledgement } from "../../store/workflow-ports.js";

export const conflictWarningSchema = z
  .object({
    id: z.string().meta({ description: "stable while what it says stays the same; what `acknowledge_conflicts` lists" }),
    kind: z.enum(["write_conflict", "trigger_cycle"]),
    object: z.string(),
    workflows: z
      .array(z.object({ key: z.string(), name: z.string() }))
      .meta({ description: "the workflows it names; for a cycle in its order, the last triggering the first" }),
    fields: z.array(z.string()),
    writes: z
      .array(z.object({ workflow: z.string(), field: z.string(), step: z.string(), value: z.string() }))
      .meta({ description: "who writes what (the value in words: a JSON constant, +N, or what works it out)" }),
    message: z.string(),
  })
  .openapi("ConflictWarning");

export const conflictAcknowledgementSchema = z
  .object({
    by: z.object({ kind: z.enum(["person", "integration", "workflow", "system"]), id: z.string() }),
    at: z.string(),
    warnings: z.array(conflictWarningSchema),
  })
  .openapi("ConflictAcknowledgement");

/** `acknowledge_conflicts` of a publish: all the current warnings, or exactly these ids. */
export const acknowledgeConflictsSchema = z.union([z.literal(true), z.array(z.string().min(1).max(64)).max(200)]).meta({
  description:
    "publishing with conflict warnings (see /publish-preview) needs this: true, or the ids of the current warnings (a stale list is refused with 409)",
});

export const presentConflict = (w: ConflictWarning): z.infer<typeof conflictWarningSchema> => ({
  id: w.id,
  kind: w.kind,
  object: w.object,
  workflows: w.workflows.map((x) => ({ key: x.key, name: x.name })),
  fields: [...w.fields],
  writes: w.writes.map((x) => ({ ...x })),
  message: w.message,
});

export const presentAcknowledgement = (
  a: ConflictAcknowledgement | null | undefined,
): z.infer<typeof conflictAcknowledgementSchema> | null =>
  a ? { by: { kind: a.by.kind, id: a.by.id }, at: a.at, warnings: a.warnings.map(presentConflict) } : null;
