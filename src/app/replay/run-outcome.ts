/**
 * What a run did, in the terms a replay compares (issue 19): the steps it took, the values it
 * wrote on its record, the owner it chose, the records it created and the messages it put on the
 * outbox. Read the same way from a production run and from a run in the sandbox, so that a
 * difference between the two is a difference in behaviour, never in how each was read.
 */

/**
 * The effects of a step (runtime/effects.ts, as stored and served) that an outcome reads; the
 * application reads the stored shape and may not import the runtime.
 */
type ReadEffect =
  | { command: "update_record"; record_id: string; fields: Record<string, unknown> }
  | { command: "create_record"; object: string; fields: Record<string, unknown> }
  | { command: "assign_owner"; field: string; user_id: string | null }
  | { command: "change_score"; field: string; to: number }
  | { command: "enqueue_external"; outbox_id?: string | null }
  | { command: "other" };

export interface MessageOutcome {
  kind: string;
  /** The recipient of an email; null for calls and chat messages. */
  to: string | null;
  /** What would be read: an email's subject, a call's method and path, a chat message, a webhook's type. */
  what: string;
}

export interface RunOutcome {
  status: string;
  /** The step ids in the order they were taken. */
  path: string[];
  /** The run's record: the last value each step wrote per field (owner fields included). */
  fields: Record<string, unknown>;
  /** The last owner chosen (a user id; null when a queue held the record). */
  owner: string | null;
  created: Array<{ object: string; fields: Record<string, unknown> }>;
  messages: MessageOutcome[];
}

export interface OutcomeStep {
  step: string | null;
  effects: unknown;
}

export interface OutcomeOutboxItem {
  kind: string;
  payload: unknown;
}

/** The outcome of a run on `recordId` from its logged steps and the outbox items they enqueued. */
export function outcomeOf(
  run: { status: string; recordId: string },
  steps: readonly OutcomeStep[],
  outbox: ReadonlyMap<string, OutcomeOutboxItem>,
): RunOutcome {
  const outcome: RunOutcome = { status: run.status, path: [], fields: {}, owner: null, created: [], messages: [] };
  for (const s of steps) {
    if (s.step !== null && outcome.path.at(-1) !== s.step) outcome.path.push(s.step);
    for (const e of (Array.isArray(s.effects) ? s.effects : []) as ReadEffect[]) {
      if (e.command === "update_record" && e.record_id === run.recordId) Object.assign(outcome.fields, e.fields);
      else if (e.command === "assign_owner") {
        outcome.fields[e.field] = e.user_id;
        outcome.owner = e.user_id;
      } else if (e.command === "change_score") outcome.fields[e.field] = e.to;
      else if (e.command === "create_record") outcome.created.push({ object: e.object, fields: e.fields });
      else if (e.command === "enqueue_external" && e.outbox_id) {
        const item = outbox.get(e.outbox_id);
        if (item) outcome.messages.push(messageOf(item));
      }
    }
  }
  return outcome;
}

function messageOf(item: OutcomeOutboxItem): MessageOutcome {
  const p = (item.payload ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  if (typeof p.to === "string") return { kind: item.kind, to: p.to, what: text(p.subject) };
  if (typeof p.method === "string") return { kind: item.kind, to: null, what: `${p.method} ${text(p.path)}` };
  if (typeof p.text === "string") return { kind: item.kind, to: null, what: p.text };
  return { kind: item.kind, to: null, what: text(p.type) };
}
