/**
 * One-click decisions from email (docs/approvals.md, "Email links"). When a level is asked, each
 * approver with an address gets an email — through the workspace's `email` connector, on the
 * outbox like any email — with two links, approve and reject. A link carries a random token; the
 * store keeps only its SHA-256, bound to the request, the approver and the decision, with an
 * expiry. Opening a link never decides: the web app's confirmation page shows the request and
 * asks (the token travels in the URL's fragment, which no server or proxy log sees, and then in a
 * POST body). Deciding spends both links of the email in the same transaction as the vote, so a
 * reused, forged or expired link is refused, and a refused vote leaves the links unspent.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Approver } from "../../engine/approval/request.js";
import type { ApprovalLinkRow, ApprovalRequestRow } from "../../store/approval-ports.js";
import type { Store, StoreTx } from "../../store/ports.js";
import { AppError } from "../errors.js";
import type { Clock, IdGenerator } from "../ports.js";
import type { AskChannel } from "./approval-desk.js";
import { history } from "./approval-desk.js";

/** How long a link is good for unless configured otherwise. */
export const DEFAULT_LINK_TTL_MS = 72 * 3_600_000;
/** The connector approval emails go through (the workspace's SMTP connector by its usual key). */
export const APPROVAL_EMAIL_CONNECTOR = "email";
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const newToken = () => randomBytes(32).toString("base64url");

const escapeHtml = (s: string) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");

export interface LinkDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  /** Where people open Handoff (`HANDOFF_PUBLIC_URL`), for the links. */
  publicUrl: string;
  ttlMs?: number | undefined;
}

/** The AskChannel that emails approvers their links; none is sent without an `email` connector. */
export function emailAsk(deps: LinkDeps): AskChannel {
  const base = deps.publicUrl.replace(/\/+$/, "");
  return async (tx: StoreTx, request: ApprovalRequestRow, level: number, approvers: readonly Approver[], now: string) => {
    if (!(await tx.connectors.getConnectorByKey(request.workspaceId, APPROVAL_EMAIL_CONNECTOR))) return;
    const users = new Map(
      (
        await tx.records.getRecords(
          request.workspaceId,
          approvers.map((a) => a.userId),
        )
      ).map((u) => [u.id, u]),
    );
    const expiresAt = new Date(Date.parse(now) + (deps.ttlMs ?? DEFAULT_LINK_TTL_MS)).toISOString();
    const levelName = request.state.levels[level]?.name ?? `Level ${level + 1}`;
    for (const a of approvers) {
      const email = users.get(a.userId)?.data.email;
      if (typeof email !== "string" || email === "") continue;
      const grant = deps.ids.next();
      const tokens = { approve: newToken(), reject: newToken() };
      const links: ApprovalLinkRow[] = (["approve", "reject"] as const).map((decision) => ({
        workspaceId: request.workspaceId,
        tokenHash: hashToken(tokens[decision]),
        grant,
        requestId: request.id,
        userId: a.userId,
        decision,
        expiresAt,
        usedAt: null,
      }));
      await tx.approvals.insertApprovalLinks(links);
      const url = (t: string) => `${base}/approvals/confirm#t=${t}`;
      const page = `${base}/approvals/${encodeURIComponent(request.id)}`;
      const behalf = a.onBehalfOf ? ` for ${a.onBehalfOf.name}, who is away` : "";
      const stake = request.stake.map((s) => `${s.field}: ${s.value === null ? "—" : String(s.value)}`);
      const text = [
        `${a.name}, your approval is needed${behalf} (${levelName}):`,
        "",
        request.summary,
        ...(stake.length > 0 ? ["", ...stake] : []),
        "",
        `Approve: ${url(tokens.approve)}`,
        `Reject: ${url(tokens.reject)}`,
        `Open the request (to send it back, or to read more): ${page}`,
        "",
        `Each link asks you to confirm before anything is decided. They work once and expire at ${expiresAt}.`,
      ].join("\n");
      const html = [
        `<p>${escapeHtml(a.name)}, your approval is needed${escapeHtml(behalf)} (${escapeHtml(levelName)}):</p>`,
        `<p><strong>${escapeHtml(request.summary)}</strong></p>`,
        stake.length > 0 ? `<ul>${stake.map((s) => `<li>${escapeHtml(s)}</li>`).join("")}</ul>` : "",
        `<p><a href="${escapeHtml(url(tokens.approve))}">Approve</a> · <a href="${escapeHtml(url(tokens.reject))}">Reject</a> · <a href="${escapeHtml(page)}">Open the request</a></p>`,
        `<p>Each link asks you to confirm before anything is decided. They work once and expire at ${escapeHtml(expiresAt)}.</p>`,
      ].join("\n");
      const key = `approval:${request.id}:${level}:${a.userId}:${request.state.escalations}`;
      await tx.outbox.insertOutboxItems([
        {
          workspaceId: request.workspaceId,
          id: deps.ids.next(),
          key,
          kind: "email",
          connector: APPROVAL_EMAIL_CONNECTOR,
          subscriptionId: null,
          runId: null,
          recordId: request.recordId,
          payload: { to: email, subject: `Approval needed: ${request.summary}`.slice(0, 300), text, html, messageId: `<${key}@handoff>` },
          nextAttemptAt: now,
        },
      ]);
      await tx.approvals.appendApprovalHistory([history(request, now, "link_sent", null, { to: a.name, level, expires_at: expiresAt })]);
    }
  };
}

/** A link's token as it arrives: its shape checked before anything is looked up. */
export function checkToken(token: unknown): string {
  if (typeof token !== "string" || !TOKEN.test(token))
    throw new AppError("validation", "this is not an approval link's token", [
      { path: ["token"], code: "invalid_value", message: "expected the 43-character token from the email's link" },
    ]);
  return token;
}

/** The link behind a token, usable now; refused with the reason a person can act on. */
export async function usableLink(reads: Pick<Store, "approvals">, token: string, now: string): Promise<ApprovalLinkRow> {
  const link = await reads.approvals.getApprovalLink(hashToken(checkToken(token)));
  if (!link) throw new AppError("not_found", "this approval link is not valid: open the request in Handoff instead");
  if (link.usedAt) throw new AppError("conflict", `this approval link was already used at ${link.usedAt}; each link works once`);
  if (link.expiresAt <= now)
    throw new AppError("forbidden", `this approval link expired at ${link.expiresAt}: open the request in Handoff to decide`);
  return link;
}
