/** The inbox's search (/approvals?view=decided&status=&object=): its own file, so the router's entry chunk stays without the page. */
import { APPROVAL_STATUSES, type ApprovalStatus, type ApprovalView } from "../../api/approvals";

export interface InboxSearch {
  view?: Exclude<ApprovalView, "mine">;
  status?: ApprovalStatus;
  object?: string;
}

const VIEWS = ["decided", "submitted", "all"] as const;

/** The router's validateSearch: keeps what has the right shape (a hand-edited URL loses the rest). */
export function readInboxSearch(search: Record<string, unknown>): InboxSearch {
  const view = VIEWS.find((v) => v === search.view);
  const status = APPROVAL_STATUSES.find((s) => s === search.status);
  const object = typeof search.object === "string" && /^[a-z_]{1,40}$/.test(search.object) ? search.object : undefined;
  return { ...(view ? { view } : {}), ...(status ? { status } : {}), ...(object ? { object } : {}) };
}
