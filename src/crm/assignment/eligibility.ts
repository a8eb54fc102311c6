/**
 * Who in a queue may take the next item, with a verdict for every member so the assignment's
 * reason record can show the whole field: who was eligible, and why each other one was not.
 * Checked in this order, the first failing check being the reason: active, not excluded, then
 * (when the queue respects them) availability and capacity.
 */
import { type Availability, type AvailabilityReason, judgeAvailability } from "./availability.js";

export interface QueueMember extends Availability {
  id: string;
  name: string;
  /** Whether the user takes assignments at all. */
  active: boolean;
  /** Share in a weighted rotation: a positive integer (the edge refuses anything else). */
  weight: number;
  /** The most open items the person should hold; undefined = no cap. */
  capacity?: number | undefined;
  /** Open items the person holds now; undefined counts as 0. */
  load?: number | undefined;
}

export interface EligibilityOptions {
  respectAvailability: boolean;
  respectCapacity: boolean;
}

export type ExclusionReason =
  | AvailabilityReason
  | { code: "inactive"; text: string }
  | { code: "excluded"; text: string }
  | { code: "at_capacity"; load: number; capacity: number; text: string };

/** One member's verdict, as the reason record shows it (JSON). */
export interface CandidateVerdict {
  userId: string;
  name: string;
  eligible: boolean;
  /** Present exactly when not eligible. */
  reason?: ExclusionReason;
  weight: number;
  load?: number;
  capacity?: number;
}

export interface Eligibility {
  /** In stable id order. */
  eligible: QueueMember[];
  /** Every member's verdict, in stable id order. */
  verdicts: CandidateVerdict[];
}

/** Code-unit order: the same everywhere, unlike `localeCompare`, and the order rotations follow. */
export const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function exclusion(member: QueueMember, options: EligibilityOptions, exclude: ReadonlySet<string>, at: Date): ExclusionReason | undefined {
  if (!member.active) return { code: "inactive", text: "inactive user" };
  if (exclude.has(member.id)) return { code: "excluded", text: "current owner, excluded on reassignment" };
  if (options.respectAvailability) {
    const availability = judgeAvailability(member, at);
    if (!availability.ok) return availability.reason;
  }
  if (options.respectCapacity && member.capacity !== undefined) {
    const load = member.load ?? 0;
    if (load >= member.capacity) {
      return { code: "at_capacity", load, capacity: member.capacity, text: `at capacity ${load} of ${member.capacity}` };
    }
  }
  return undefined;
}

export function judgeEligibility(
  members: readonly QueueMember[],
  options: EligibilityOptions,
  exclude: ReadonlySet<string>,
  at: Date,
): Eligibility {
  const eligible: QueueMember[] = [];
  const verdicts: CandidateVerdict[] = [];
  for (const member of [...members].sort(byId)) {
    const reason = exclusion(member, options, exclude, at);
    const verdict: CandidateVerdict = { userId: member.id, name: member.name, eligible: reason === undefined, weight: member.weight };
    if (reason) verdict.reason = reason;
    if (member.load !== undefined) verdict.load = member.load;
    if (member.capacity !== undefined) verdict.capacity = member.capacity;
    verdicts.push(verdict);
    if (!reason) eligible.push(member);
  }
  return { eligible, verdicts };
}
