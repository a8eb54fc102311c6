/** The custom fields port: a transaction reads a workspace's custom fields once. */
import type { CustomFieldDef } from "../../../crm/custom-fields.js";
import type { CustomFieldPort } from "../../custom-field-ports.js";
import type { SqlSession } from "../session.js";
import { memoized } from "../unit-of-work.js";
import * as ws from "../workspace.js";

export class SqlCustomFields implements CustomFieldPort {
  constructor(private readonly s: SqlSession) {}

  async listCustomFields(workspaceId: string) {
    const load = () => ws.listCustomFields(this.s.db, this.s.d, workspaceId);
    return this.s.uow ? [...(await memoized(this.s.uow.customFields, workspaceId, load))] : load();
  }
  insertCustomField(workspaceId: string, field: CustomFieldDef) {
    this.s.uow?.customFields.delete(workspaceId);
    return ws.insertCustomField(this.s.db, this.s.d, workspaceId, field, this.s.now());
  }
}
