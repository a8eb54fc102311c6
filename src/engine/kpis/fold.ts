/**
 * What one event of the log adds to the KPI facts (docs/kpis.md): pure, so that the incremental
 * rollup (runtime/kpis/rollup.ts) and a rebuild from scratch are the same fold over the same
 * events, and so that each KPI's arithmetic is tested without a database.
 *
 * - A record's creation starts its fact: object, instant, owner.
 * - Each later write (`record.updated`, and `record.merged` into it) is counted by who made it —
 *   a person, a workflow, or anything else (an integration, the system, a scoring model) — on the
 *   record's fact and on the day's and the hour's rollups, which also keep the workflow's id.
 * - An activity created about a lead (its `related_id`) that is a call, an email or a meeting made
 *   by a person is the lead's first response if it has none yet: the response time runs from the
 *   lead's creation to the activity's `occurred_at` (or its creation when it names none or names
 *   a future instant). An activity dated before the lead existed is history brought in with it
 *   (an import), not an answer: it does not count.
 * - A deal's first move to a closed stage (closed_won, closed_lost) by any write is its closing:
 *   the cycle runs from its creation to that write. Later moves (reopened, closed again) change
 *   nothing. A deal created already closed was closed elsewhere (an import): its closing is its
 *   creation, with no cycle, so that a later reopening and closing does not count either.
 * - Onboarding handoff (docs/kpis.md): a deal's first move to closed_won after its creation is its
 *   win (one created closed, won or lost, was closed elsewhere: it has no win). A deal and a ticket
 *   keep their company; a ticket keeps its category and contact (its assignee is its owner). A
 *   ticket of category "onboarding" is **ready** the first time its company, contact and assignee
 *   are all filled — the handoff's required fields; later changes do not move that instant.
 */

export type KpiActorKind = "person" | "workflow" | "integration" | "system";

/** The part of a domain event the fold reads. */
export interface KpiEvent {
  workspaceId: string;
  type: string;
  object: string;
  recordId: string;
  actor: { kind: KpiActorKind; id: string };
  changes: ReadonlyArray<{ field: string; new: unknown }>;
  occurredAt: string;
}

export interface RecordFact {
  workspaceId: string;
  recordId: string;
  object: string;
  createdAt: string;
  ownerId: string | null;
  personWrites: number;
  workflowWrites: number;
  otherWrites: number;
  respondedAt: string | null;
  responseMs: number | null;
  /** A deal's first closing, and the time from its creation to it (null when it was created closed). */
  closedAt: string | null;
  cycleMs: number | null;
  /** A deal's first move to closed_won after its creation (null: never, or created closed). */
  wonAt: string | null;
  /** A deal's or a ticket's company now (null for the other objects). */
  companyId: string | null;
  /** A ticket's contact and category now (null for the other objects). */
  contactId: string | null;
  category: string | null;
  /** An onboarding ticket's first instant with its required fields filled (company_id, contact_id, assignee_id). */
  readyAt: string | null;
}

/** One cell of the daily rollup and what to add to it. */
export interface DailyDelta {
  workspaceId: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  object: string;
  actorKind: KpiActorKind;
  /** The workflow that wrote, "" for anyone else. */
  workflowId: string;
  writes: number;
  creates: number;
}

/** One cell of the hourly rollup: the daily cell's counts by UTC hour (YYYY-MM-DDTHH) instead of day. */
export interface HourlyDelta extends Omit<DailyDelta, "day"> {
  hour: string;
}

/** The activity types that answer a lead. */
export const RESPONSE_TYPES: readonly string[] = ["call", "email", "meeting"];

const OWNER_FIELDS = ["owner_id", "assignee_id"];

/** The deal stages that close it (crm/objects.ts DEAL_STAGES). */
export const CLOSED_STAGES: readonly string[] = ["closed_won", "closed_lost"];

/** The ticket category of the onboarding handoff (recipes/onboarding-kickoff.json opens it). */
export const ONBOARDING_CATEGORY = "onboarding";

/** The records whose facts an event needs read before it is folded: its own, and a lead an activity answers. */
export function factsNeeded(event: KpiEvent): string[] {
  const related = respondsTo(event);
  return related ? [event.recordId, related] : [event.recordId];
}

/**
 * Folds a batch of events, in log order, into the facts it was given (by record id; updated in
 * place and returned as the changed ones) and the day and hour deltas, summed per cell.
 */
export function foldEvents(
  events: readonly KpiEvent[],
  facts: Map<string, RecordFact>,
): { changed: RecordFact[]; daily: DailyDelta[]; hourly: HourlyDelta[] } {
  const changed = new Set<string>();
  const daily = new Map<string, DailyDelta>();
  const hourly = new Map<string, HourlyDelta>();
  const add = (e: KpiEvent, writes: number, creates: number) => {
    const workflowId = e.actor.kind === "workflow" ? e.actor.id : "";
    const cell = { workspaceId: e.workspaceId, object: e.object, actorKind: e.actor.kind, workflowId, writes: 0, creates: 0 };
    const rest = `${e.object}\u0000${e.actor.kind}\u0000${workflowId}`;
    const day = e.occurredAt.slice(0, 10);
    const dayCell = daily.get(`${e.workspaceId}\u0000${day}\u0000${rest}`) ?? { ...cell, day };
    dayCell.writes += writes;
    dayCell.creates += creates;
    daily.set(`${e.workspaceId}\u0000${day}\u0000${rest}`, dayCell);
    const hour = e.occurredAt.slice(0, 13);
    const hourCell = hourly.get(`${e.workspaceId}\u0000${hour}\u0000${rest}`) ?? { ...cell, hour };
    hourCell.writes += writes;
    hourCell.creates += creates;
    hourly.set(`${e.workspaceId}\u0000${hour}\u0000${rest}`, hourCell);
  };
  for (const e of events) {
    if (e.type === "record.created") {
      if (!facts.has(e.recordId)) {
        facts.set(e.recordId, {
          workspaceId: e.workspaceId,
          recordId: e.recordId,
          object: e.object,
          createdAt: e.occurredAt,
          ownerId: ownerOf(e) ?? null,
          personWrites: 0,
          workflowWrites: 0,
          otherWrites: 0,
          respondedAt: null,
          responseMs: null,
          closedAt: closes(e) ? e.occurredAt : null,
          cycleMs: null,
          wonAt: null,
          companyId: null,
          contactId: null,
          category: null,
          readyAt: null,
        });
        trackHandoff(facts.get(e.recordId) as RecordFact, e);
        changed.add(e.recordId);
      }
      add(e, 0, 1);
      const lead = respondsTo(e);
      const fact = lead ? facts.get(lead) : undefined;
      if (fact && fact.respondedAt === null) {
        const at = responseInstant(e);
        const ms = Date.parse(at) - Date.parse(fact.createdAt);
        if (ms >= 0) {
          fact.respondedAt = at;
          fact.responseMs = ms;
          changed.add(fact.recordId);
        }
      }
    } else if (e.type === "record.updated" || e.type === "record.merged") {
      add(e, 1, 0);
      const fact = facts.get(e.recordId);
      if (!fact) continue;
      if (e.actor.kind === "person") fact.personWrites += 1;
      else if (e.actor.kind === "workflow") fact.workflowWrites += 1;
      else fact.otherWrites += 1;
      const owner = ownerOf(e);
      if (owner !== undefined) fact.ownerId = owner;
      // Created closed (closedAt with no cycle): closed elsewhere, so never won here either.
      const createdClosed = fact.closedAt !== null && fact.cycleMs === null;
      if (fact.closedAt === null && closes(e)) {
        fact.closedAt = e.occurredAt;
        fact.cycleMs = Math.max(0, Date.parse(e.occurredAt) - Date.parse(fact.createdAt));
      }
      if (fact.wonAt === null && !createdClosed && e.object === "deal" && newValue(e, "stage") === "closed_won") fact.wonAt = e.occurredAt;
      trackHandoff(fact, e);
      changed.add(fact.recordId);
    }
  }
  return { changed: [...changed].map((id) => facts.get(id) as RecordFact), daily: [...daily.values()], hourly: [...hourly.values()] };
}

/** The owner an event sets, if it sets one (null when it clears it). */
function ownerOf(e: KpiEvent): string | null | undefined {
  const change = e.changes.find((c) => OWNER_FIELDS.includes(c.field));
  if (!change) return undefined;
  return typeof change.new === "string" && change.new.length > 0 ? change.new : null;
}

const newValue = (e: KpiEvent, field: string) => e.changes.find((c) => c.field === field)?.new;

const idOrNull = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : null);

/**
 * Keeps a deal's company, a ticket's company, contact and category, and an onboarding ticket's
 * ready instant: the first time the handoff's required fields — the customer (company_id), their
 * contact (contact_id) and someone owning the onboarding (assignee_id, the ticket's owner) — are filled.
 */
function trackHandoff(fact: RecordFact, e: KpiEvent): void {
  if (fact.object !== "deal" && fact.object !== "ticket") return;
  for (const c of e.changes) {
    if (c.field === "company_id") fact.companyId = idOrNull(c.new);
    else if (fact.object === "ticket" && c.field === "contact_id") fact.contactId = idOrNull(c.new);
    else if (fact.object === "ticket" && c.field === "category") fact.category = typeof c.new === "string" ? c.new : null;
  }
  if (
    fact.object === "ticket" &&
    fact.readyAt === null &&
    fact.category === ONBOARDING_CATEGORY &&
    fact.companyId !== null &&
    fact.contactId !== null &&
    fact.ownerId !== null
  )
    fact.readyAt = e.occurredAt;
}

/** Whether an event puts a deal in a closed stage. */
function closes(e: KpiEvent): boolean {
  if (e.object !== "deal") return false;
  const stage = newValue(e, "stage");
  return typeof stage === "string" && CLOSED_STAGES.includes(stage);
}

/** The lead a created activity answers: a call, email or meeting by a person, about a lead. */
function respondsTo(e: KpiEvent): string | undefined {
  if (e.type !== "record.created" || e.object !== "activity") return undefined;
  const related = newValue(e, "related_id");
  const type = newValue(e, "type");
  if (typeof related !== "string" || typeof type !== "string" || !RESPONSE_TYPES.includes(type)) return undefined;
  const madeBy = newValue(e, "made_by");
  const byPerson = madeBy === undefined || madeBy === null ? e.actor.kind === "person" : madeBy === "person";
  return byPerson ? related : undefined;
}

/** When the answering activity happened: its `occurred_at` when it names a past instant, its creation otherwise. */
function responseInstant(e: KpiEvent): string {
  const occurred = newValue(e, "occurred_at");
  if (typeof occurred === "string") {
    const t = Date.parse(occurred);
    if (Number.isFinite(t) && t <= Date.parse(e.occurredAt)) return new Date(t).toISOString();
  }
  return e.occurredAt;
}
