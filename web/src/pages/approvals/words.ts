/**
 * Approval requests in words: statuses, decisions, stake values, and each history entry as a
 * sentence ("Vic VP approved: fine this quarter"). Pure, so the pages and their tests read the same.
 */
import type { ApprovalDetail, ApprovalStatus, Decision } from "../../api/approvals";
import { readableWhy } from "../record/words";

export const STATUS_WORDS: Record<ApprovalStatus, string> = {
  pending: "Pending",
  approved: "Approved",
  rejected: "Rejected",
  revise: "Sent back for revision",
  timed_out: "Timed out",
  cancelled: "Cancelled",
};

/** What a vote did, in the past tense. */
export const DECISION_DONE: Record<Decision, string> = {
  approve: "approved",
  reject: "rejected",
  revise: "sent it back for revision",
};

/** A stake value as shown: numbers in the reader's locale, nothing as a dash. */
export function stakeValue(v: unknown): string {
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "number") return v.toLocaleString();
  if (typeof v === "boolean") return v ? "Yes" : "No";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** Whether a stake field changed since the request was opened (compared as JSON: numbers, strings, lists alike). */
export const stakeChanged = (s: { value?: unknown; now?: unknown }) => JSON.stringify(s.value ?? null) !== JSON.stringify(s.now ?? null);

type HistoryEntry = ApprovalDetail["history"][number];

const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const names = (v: unknown): string =>
  Array.isArray(v)
    ? v
        .map((x) => (typeof x === "string" ? x : x && typeof x === "object" && "name" in x ? String((x as { name: unknown }).name) : ""))
        .filter(Boolean)
        .join(", ")
    : "";

/** One history entry as a sentence a person reads. */
export function historyWords(h: HistoryEntry): string {
  const who = h.actor?.name ?? "Handoff";
  const d = h.detail;
  const comment = text(d.comment);
  switch (h.kind) {
    case "opened":
      return `${who} asked for approval (round ${typeof d.round === "number" ? d.round : 1})${text(d.route) ? ` — ${readableWhy(String(d.route))}` : ""}`;
    case "asked":
      return `Asked ${text(d.name) ?? "the next level"}: ${names(d.approvers) || "nobody"}`;
    case "voted": {
      const decision = d.decision === "approve" || d.decision === "reject" || d.decision === "revise" ? d.decision : undefined;
      const verb = decision ? DECISION_DONE[decision] : String(d.decision);
      return `${text(d.name) ?? who} ${verb}${comment ? `: “${comment}”` : ""}`;
    }
    case "escalated":
      return `Escalated: no decision in time${names(d.to) ? `, now also asked: ${names(d.to)}` : ""}`;
    case "settled": {
      const status = typeof d.status === "string" && d.status in STATUS_WORDS ? STATUS_WORDS[d.status as ApprovalStatus] : String(d.status);
      return `Settled: ${status}${text(d.outcome) ? ` (${d.outcome})` : ""}`;
    }
    case "resubmitted":
      return `${who} resubmitted it${comment ? `: “${comment}”` : ""}`;
    case "lock_overridden":
      return `${who} changed locked fields anyway (admin override): ${Array.isArray(d.fields) ? d.fields.join(", ") : ""}`;
    case "link_sent":
      return `Emailed ${text(d.to) ?? "an approver"} links to approve or reject`;
    default:
      return `${h.kind}${comment ? `: ${comment}` : ""}`;
  }
}

/** The object's plural as the record pages use it (`deal` → `deals`), from the objects the API lists. */
export function pluralOf(objects: readonly { name: string; plural: string }[] | undefined, object: string): string {
  return objects?.find((o) => o.name === object)?.plural ?? `${object}s`;
}
