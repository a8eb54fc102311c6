/** The inbound deliveries port. */
import type { InboundDeliveryPort } from "../../inbound-delivery-ports.js";
import type { InboundDeliveryRow } from "../../inbound-ports.js";
import * as deliveries from "../deliveries.js";
import type { SqlSession } from "../session.js";

export class SqlInboundDeliveries implements InboundDeliveryPort {
  constructor(private readonly s: SqlSession) {}

  getInboundDelivery(sourceId: string, deliveryId: string) {
    return deliveries.getInboundDelivery(this.s.db, sourceId, deliveryId);
  }
  insertInboundDelivery(delivery: InboundDeliveryRow) {
    return deliveries.insertInboundDelivery(this.s.db, delivery);
  }
  pruneInboundDeliveries(before: string, limit: number) {
    return deliveries.pruneInboundDeliveries(this.s.db, before, limit);
  }
}
