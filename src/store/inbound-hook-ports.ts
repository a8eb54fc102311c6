/**
 * Storage port of inbound hooks (glossary: inbound-ports.ts, "Inbound hook").
 */
import type { InboundHookRow } from "./inbound-ports.js";

export interface InboundHookReads {
  getInboundHookByKey(key: string): Promise<InboundHookRow | undefined>;
  listInboundHooks(workspaceId: string): Promise<InboundHookRow[]>;
}

export interface InboundHookPort extends InboundHookReads {
  /** False when the key is taken (by any workspace). */
  insertInboundHook(hook: InboundHookRow): Promise<boolean>;
  updateInboundHook(hook: InboundHookRow): Promise<void>;
  deleteInboundHook(workspaceId: string, id: string): Promise<boolean>;
}
