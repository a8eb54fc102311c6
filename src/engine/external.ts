/**
 * External triggers (`{ type: "external", key }`) fire on `external.received` events from the
 * inbound hook or form with that key. The trigger index holds them under one kind per key, so a
 * delivery looks up only the workflows that name its source, not every external trigger.
 */
export function externalKind(key: string): string {
  return `external:${key}`;
}
