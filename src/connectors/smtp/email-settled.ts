/**
 * What a settled email means beyond its outbox row, in the transaction that records the outcome:
 * - delivered: an `email` activity on the record (subject, body), on behalf of the record's owner,
 *   written as the workflow that sent it and marked `made_by: handoff` — it shows on the record's
 *   timeline like any other activity, but (by default) does not count as the record's activity;
 * - bounced (a 5xx on RCPT TO): the address is suppressed with the SMTP reply, and every lead and
 *   contact with that address is marked `email_status: bouncing`.
 */
import type { CallContext } from "../../app/context.js";
import { markEmailStatus } from "../../app/email/email-status.js";
import type { RecordWriter } from "../../app/records/record-writer.js";
import type { StoreTx } from "../../store/ports.js";
import type { DeliveryOutcome, EmailPayload, OutboxItem, SettledHook } from "../contract.js";

const BODY_MAX = 20_000;

/** A readable plain-text version of an HTML body, for the timeline (never rendered as HTML). */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>|<\/(p|div|li|h[1-6]|tr)>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

async function actingAs(tx: StoreTx, item: OutboxItem): Promise<CallContext> {
  const run = item.runId ? await tx.runs.getRun(item.workspaceId, item.runId) : undefined;
  return {
    workspaceId: item.workspaceId,
    role: "admin",
    actor: run ? { kind: "workflow", id: run.workflowId } : { kind: "system", id: "email" },
    requestId: null,
    causeId: item.runId,
    ...(run ? { depth: run.depth } : {}),
  };
}

export interface EmailSettledDeps {
  writer: RecordWriter;
  clock: { now(): Date };
}

export function emailSettledHook(deps: EmailSettledDeps): SettledHook {
  return async (tx: StoreTx, item: OutboxItem, outcome: DeliveryOutcome) => {
    if (item.kind !== "email") return;
    const payload = item.payload as EmailPayload;
    if (outcome.ok) {
      const record = item.recordId ? await tx.records.getRecord(item.workspaceId, item.recordId) : undefined;
      if (!record) return;
      const body = payload.text ?? (payload.html !== undefined ? htmlToText(payload.html) : "");
      const owner = typeof record.data.owner_id === "string" ? record.data.owner_id : undefined;
      await deps.writer.createMany(
        await actingAs(tx, item),
        "activity",
        [
          {
            type: "email",
            subject: payload.subject,
            body: body.slice(0, BODY_MAX),
            related_id: record.id,
            occurred_at: deps.clock.now().toISOString(),
            // Handoff sent it, not a person: by default it does not move last_activity_at.
            made_by: "handoff",
            ...(owner ? { user_id: owner } : {}),
          },
        ],
        { tx, pathOf: () => [] },
      );
      return;
    }
    if (outcome.bounced) {
      await tx.suppressions.addSuppression({
        workspaceId: item.workspaceId,
        email: outcome.bounced,
        reason: "bounce",
        detail: outcome.error.slice(0, 1_000),
        createdAt: deps.clock.now().toISOString(),
      });
      await markEmailStatus(tx, deps.writer, await actingAs(tx, item), outcome.bounced, "bouncing");
    }
  };
}
