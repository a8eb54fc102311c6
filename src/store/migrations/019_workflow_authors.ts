/**
 * 019 — who changed a workflow (issue 14, item 6: the workflows list shows "last changed by", a
 * workflow's page who published each version). `workflows.updated_by` and
 * `workflow_versions.published_by` hold the actor as `kind:id` (person:<user id>,
 * integration:<token id>, system:<name>); null on rows written before this migration.
 * No new index: the list's 7-day run counts read the existing `runs_workflow`
 * (workspace_id, workflow_id, created_at) index, one range per workflow (sql/runs.ts).
 */
import type { Kysely, Migration } from "kysely";

export function workflowAuthors(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("workflows").addColumn("updated_by", "text").execute();
      await db.schema.alterTable("workflow_versions").addColumn("published_by", "text").execute();
    },
  };
}
