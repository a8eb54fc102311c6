/** "How many": the list endpoints have no totals, so a page of up to `limit` is counted ("500+" past it). */
export interface Count {
  n: number;
  more: boolean;
}

export const countText = (c: Count) => `${c.n}${c.more ? "+" : ""}`;
