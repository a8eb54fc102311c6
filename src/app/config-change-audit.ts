/**
 * One entry of the configuration audit for a change an admin made (a rule, a policy, a model, a
 * connector…): who, when, in which request, what, and a summary. The one way the admin services
 * write it, so that every entry has the same shape.
 */
import type { ConfigAuditAction } from "../store/config-audit-ports.js";
import type { StoreTx } from "../store/ports.js";
import type { CallContext } from "./context.js";
import type { Clock, IdGenerator } from "./ports.js";

export async function auditConfigChange(
  tx: StoreTx,
  deps: { ids: IdGenerator; clock: Clock },
  ctx: CallContext,
  change: { entity: string; entityId: string; action: ConfigAuditAction; summary: Record<string, unknown> },
): Promise<void> {
  await tx.configAudit.appendConfigAudit([
    {
      workspaceId: ctx.workspaceId,
      id: deps.ids.next(),
      at: deps.clock.now().toISOString(),
      actor: ctx.actor,
      requestId: ctx.requestId,
      ...change,
    },
  ]);
}
