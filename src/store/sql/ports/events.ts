/** The events port: in a transaction, events are queued and inserted just before the commit. */
import type { EventPort, NewDomainEvent, ObjectEventQuery } from "../../event-ports.js";
import * as log from "../log.js";
import type { SqlSession } from "../session.js";
import * as wf from "../workflows.js";

export class SqlEvents implements EventPort {
  constructor(private readonly s: SqlSession) {}

  readEvents(afterPosition: number, limit: number, workspaceId?: string) {
    return log.readEvents(this.s.db, this.s.d, afterPosition, limit, workspaceId);
  }
  eventsOfObject(q: ObjectEventQuery) {
    return log.eventsOfObject(this.s.db, this.s.d, q);
  }
  getEvent(workspaceId: string, id: string) {
    return log.getEvent(this.s.db, this.s.d, workspaceId, id);
  }
  lastEventPosition() {
    return wf.lastEventPosition(this.s.db);
  }
  async appendEvents(events: readonly NewDomainEvent[]) {
    if (this.s.uow) this.s.uow.queueEvents(events);
    else await log.appendEvents(this.s.db, this.s.d, events);
  }
  lockCursor(consumer: string) {
    return wf.lockCursor(this.s.db, this.s.d, consumer);
  }
  setCursor(consumer: string, position: number) {
    return wf.setCursor(this.s.db, consumer, position);
  }
}
