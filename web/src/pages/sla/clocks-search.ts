/** The at-risk page's search (/sla/clocks?status=breached&policy=&team=): its own file, so the router's entry chunk stays without the page. */
export type ClocksTab = "warning" | "breached";
export interface ClocksSearch {
  status?: ClocksTab;
  policy?: string;
  team?: string;
}

/** The router's validateSearch: keeps what has the right shape (a hand-edited URL loses the rest). */
export function readClocksSearch(search: Record<string, unknown>): ClocksSearch {
  const text = (k: string) => (typeof search[k] === "string" && search[k] ? { [k]: search[k] as string } : {});
  return { ...(search.status === "breached" ? { status: "breached" as const } : {}), ...text("policy"), ...text("team") };
}
