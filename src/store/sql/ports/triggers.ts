/** The trigger index port: in a transaction, rows come through the unit of work (memoised, shared by epoch). */
import type { ObjectName } from "../../../crm/fields.js";
import type { TriggerPort } from "../../trigger-ports.js";
import type { TriggerRow } from "../../workflow-ports.js";
import type { SqlSession } from "../session.js";
import * as wf from "../workflows.js";

export class SqlTriggers implements TriggerPort {
  constructor(private readonly s: SqlSession) {}

  findTriggers(workspaceId: string, object: ObjectName, kinds: readonly string[]) {
    const uow = this.s.uow;
    return uow ? uow.triggers(workspaceId, object, kinds) : wf.findTriggers(this.s.db, workspaceId, object, kinds);
  }
  async replaceTriggers(workspaceId: string, workflowId: string, rows: readonly TriggerRow[]) {
    this.s.uow?.replacingTriggers(workspaceId);
    await wf.replaceTriggers(this.s.db, workspaceId, workflowId, rows);
    await wf.bumpTriggerEpoch(this.s.db, this.s.d, workspaceId);
  }
}
