/**
 * Storage port of accepted inbound deliveries: the replay cache and the idempotency guard of
 * hooks and forms (glossary: inbound-ports.ts, "Delivery").
 */
import type { InboundDeliveryRow } from "./inbound-ports.js";

export interface InboundDeliveryReads {
  getInboundDelivery(sourceId: string, deliveryId: string): Promise<InboundDeliveryRow | undefined>;
}

export interface InboundDeliveryPort extends InboundDeliveryReads {
  /** False when (source, delivery id) was accepted before: the caller replays that one. */
  insertInboundDelivery(delivery: InboundDeliveryRow): Promise<boolean>;
  /** Forgets up to `limit` deliveries received before `before` (retention); returns how many. */
  pruneInboundDeliveries(before: string, limit: number): Promise<number>;
}
