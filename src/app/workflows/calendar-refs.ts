/**
 * The calendars a definition's business-time waits name must exist when it is published, so that
 * a typo or a recipe installed where the calendar does not exist is refused with the path instead
 * of failing every run at the step. Waits on the owner's, team's or workspace's calendar always
 * find one (the workspace's falls back to 24×7), so only names are checked.
 */
import type { Issue } from "../../crm/issues.js";
import type { WorkflowDefinition } from "../../engine/definition.js";
import type { StoreReads } from "../../store/ports.js";

export async function missingCalendars(reads: StoreReads, workspaceId: string, def: WorkflowDefinition): Promise<Issue[]> {
  const named: Array<{ path: Issue["path"]; name: string }> = [];
  for (const [id, step] of Object.entries(def.steps)) {
    if (step.type !== "delay") continue;
    const key = step.business ? "business" : step.until_opening ? "until_opening" : undefined;
    const ref = step.business?.calendar ?? step.until_opening?.calendar;
    if (key && ref && "name" in ref) named.push({ path: ["steps", id, key, "calendar", "name"], name: ref.name });
  }
  if (named.length === 0) return [];
  const calendars = (await reads.calendars.listCalendars(workspaceId)).map((c) => c.name);
  return named
    .filter((n) => !calendars.includes(n.name))
    .map((n) => ({
      path: n.path,
      code: "invalid_reference" as const,
      message: `no calendar "${n.name}" in this workspace`,
      expected: calendars,
    }));
}
