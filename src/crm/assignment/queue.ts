/**
 * Choosing from a queue: judge every member, then let the queue's strategy choose among the
 * eligible. Pure: the members (with their availability, loads and capacities), the queue's
 * stored state and the instant come in; the decision, the state to store and the reason come
 * out. When nobody is eligible the decision says so and the runtime follows the queue's
 * fallback (another queue, a user, or hold).
 */
import { type CandidateVerdict, judgeEligibility, type QueueMember } from "./eligibility.js";
import { QUEUE_STRATEGIES, type QueueDetail, type QueueStrategyName } from "./queue-strategies.js";
import type { QueuePick, QueueState, QueueStrategy } from "./queue-strategy.js";

export interface QueueSpec {
  id: string;
  name: string;
  strategy: QueueStrategyName;
  /** Skip members on PTO, outside their working hours or switched to unavailable. */
  respectAvailability: boolean;
  /** Skip members whose open items reach their capacity. */
  respectCapacity: boolean;
}

export interface QueueInput {
  queue: QueueSpec;
  members: readonly QueueMember[];
  /** The queue's stored state; `{}` before its first pick. */
  state: QueueState;
  /** Never chosen (the current owner, on reassignment). */
  exclude: ReadonlySet<string>;
  at: Date;
}

export type QueueDecision =
  | {
      outcome: "assigned";
      userId: string;
      /** The queue's state to store. */
      state: QueueState;
      strategy: QueueStrategyName;
      /** Every member's verdict, in id order. */
      candidates: CandidateVerdict[];
      why: string;
      detail: QueueDetail;
    }
  | { outcome: "nobody_eligible"; candidates: CandidateVerdict[]; why: string };

/** Credits of people no longer in the queue are dropped, so the stored row does not grow with turnover. */
function pruned(state: QueueState, members: readonly QueueMember[]): QueueState {
  if (state.current === undefined) return state;
  const ids = new Set(members.map((m) => m.id));
  return { ...state, current: Object.fromEntries(Object.entries(state.current).filter(([id]) => ids.has(id))) };
}

export function chooseFromQueue(input: QueueInput): QueueDecision {
  const { queue, members, state, exclude, at } = input;
  const { eligible, verdicts } = judgeEligibility(members, queue, exclude, at);
  const [first, ...rest] = eligible;
  if (first === undefined) {
    const why =
      members.length === 0
        ? `queue ${queue.name} has no members`
        : `queue ${queue.name}: nobody eligible (${verdicts.map((v) => `${v.name}: ${v.reason?.text}`).join("; ")})`;
    return { outcome: "nobody_eligible", candidates: verdicts, why };
  }
  const names = new Map(members.map((m) => [m.id, m.name]));
  // The entry under the queue's strategy is the one for its detail; TypeScript does not correlate them.
  const strategy = QUEUE_STRATEGIES[queue.strategy] as QueueStrategy<QueueDetail>;
  const pick: QueuePick<QueueDetail> = strategy({ eligible: [first, ...rest], state, nameOf: (id) => names.get(id) ?? id });
  return {
    outcome: "assigned",
    userId: pick.userId,
    state: pruned(pick.state, members),
    strategy: queue.strategy,
    candidates: verdicts,
    why: `queue ${queue.name}: ${pick.detail.text}`,
    detail: pick.detail,
  };
}
