/**
 * Onboarding handoff completion (docs/kpis.md): whether each deal won in the period got its
 * onboarding in time. Pure, over the rollup's facts (engine/kpis/fold.ts): a deal is **handed
 * off** when an onboarding ticket of the deal's company became ready (company, contact and
 * assignee filled) at or after the win and at most `withinMs` after it. A ticket ready before the
 * win belongs to an earlier onboarding; a deal with no company can be matched by none.
 */

export interface WonDeal {
  recordId: string;
  wonAt: string;
  companyId: string | null;
}

export interface ReadyTicket {
  recordId: string;
  companyId: string;
  readyAt: string;
}

export interface Handoff {
  recordId: string;
  wonAt: string;
  /** The first ready onboarding ticket of the company at or after the win, in time or not. */
  ticketId: string | null;
  /** Time from the win to that ticket being ready (null: none yet). */
  afterMs: number | null;
  inTime: boolean;
}

export function handoffs(deals: readonly WonDeal[], tickets: readonly ReadyTicket[], withinMs: number): Handoff[] {
  const byCompany = new Map<string, ReadyTicket[]>();
  for (const t of [...tickets].sort((a, b) => a.readyAt.localeCompare(b.readyAt) || a.recordId.localeCompare(b.recordId))) {
    const list = byCompany.get(t.companyId) ?? [];
    list.push(t);
    byCompany.set(t.companyId, list);
  }
  return deals.map((d) => {
    const won = Date.parse(d.wonAt);
    const first = d.companyId === null ? undefined : byCompany.get(d.companyId)?.find((t) => Date.parse(t.readyAt) >= won);
    const afterMs = first ? Date.parse(first.readyAt) - won : null;
    return {
      recordId: d.recordId,
      wonAt: d.wonAt,
      ticketId: first?.recordId ?? null,
      afterMs,
      inTime: afterMs !== null && afterMs <= withinMs,
    };
  });
}
