/** The routing port: queues, their state and holds, rule sets, assignment reasons. */
import type { QueueState } from "../../../crm/assignment/index.js";
import type { ObjectName } from "../../../crm/fields.js";
import type { AssignmentRow, HoldRow, QueueRow, RoutingPort, RuleSetRow } from "../../routing-ports.js";
import * as routing from "../routing.js";
import type { SqlSession } from "../session.js";

export class SqlRouting implements RoutingPort {
  constructor(private readonly s: SqlSession) {}

  listQueues(workspaceId: string) {
    return routing.listQueues(this.s.db, this.s.d, workspaceId);
  }
  getQueue(workspaceId: string, idOrName: string) {
    return routing.getQueue(this.s.db, this.s.d, workspaceId, idOrName);
  }
  listRuleSets(workspaceId: string) {
    return routing.listRuleSets(this.s.db, this.s.d, workspaceId);
  }
  getRuleSet(workspaceId: string, idOrName: string) {
    return routing.getRuleSet(this.s.db, this.s.d, workspaceId, idOrName);
  }
  onCreateRuleSets(workspaceId: string, object: ObjectName) {
    return routing.onCreateRuleSets(this.s.db, this.s.d, workspaceId, object);
  }
  listHolds(workspaceId: string, queueId?: string) {
    return routing.listHolds(this.s.db, workspaceId, queueId);
  }
  heldQueues() {
    return routing.heldQueues(this.s.db);
  }
  assignmentsOf(workspaceId: string, recordId: string, limit: number) {
    return routing.assignmentsOf(this.s.db, this.s.d, workspaceId, recordId, limit);
  }
  recentAssignments(workspaceId: string, limit: number) {
    return routing.recentAssignments(this.s.db, this.s.d, workspaceId, limit);
  }
  distribution(workspaceId: string, sinceIso: string) {
    return routing.distribution(this.s.db, workspaceId, sinceIso);
  }
  insertQueue(q: QueueRow) {
    return routing.insertQueue(this.s.db, this.s.d, q);
  }
  updateQueue(q: QueueRow) {
    return routing.updateQueue(this.s.db, this.s.d, q);
  }
  deleteQueue(workspaceId: string, id: string) {
    return routing.deleteQueue(this.s.db, workspaceId, id);
  }
  lockQueueState(workspaceId: string, queueId: string) {
    return routing.lockQueueState(this.s.db, this.s.d, workspaceId, queueId);
  }
  setQueueState(workspaceId: string, queueId: string, state: QueueState) {
    return routing.setQueueState(this.s.db, this.s.d, workspaceId, queueId, state);
  }
  insertRuleSet(r: RuleSetRow) {
    return routing.insertRuleSet(this.s.db, this.s.d, r);
  }
  updateRuleSet(r: RuleSetRow) {
    return routing.updateRuleSet(this.s.db, this.s.d, r);
  }
  deleteRuleSet(workspaceId: string, id: string) {
    return routing.deleteRuleSet(this.s.db, workspaceId, id);
  }
  addHold(h: HoldRow) {
    return routing.addHold(this.s.db, h);
  }
  removeHold(workspaceId: string, queueId: string, recordId: string, field: string) {
    return routing.removeHold(this.s.db, workspaceId, queueId, recordId, field);
  }
  insertAssignment(a: AssignmentRow) {
    return routing.insertAssignment(this.s.db, this.s.d, a);
  }
}
