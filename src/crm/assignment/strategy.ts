/**
 * Choosing an owner, with the reason recorded. A strategy is pure: the candidates (in a stable
 * order), the rotation's state and the target come in; the chosen owner, the rotation's new
 * state and a sentence saying why come out. The runtime loads the candidates and the rotation,
 * asks the strategy, and writes what it chose (runtime/apply/assign-owner.ts).
 */

export interface Candidate {
  id: string;
  name: string;
  /** Whether the candidate takes assignments (a rotation skips those who do not). */
  active: boolean;
  /** How the candidate was found, when that is the reason ("Ann, manager of Bob"). */
  found?: string | undefined;
}

/**
 * A rotation's state: the id of the last candidate it picked (undefined before its first pick,
 * and for targets that do not rotate).
 */
export type RotationState = string | undefined;

export interface StrategyInput<Target> {
  target: Target;
  candidates: readonly Candidate[];
  rotation: RotationState;
  /** Never chosen (the current owner, when the action says not to hand the record back). */
  exclude: ReadonlySet<string>;
}

export type OwnerChoice = { ok: true; userId: string; why: string; rotation: RotationState } | { ok: false; why: string };

export type OwnerStrategy<Target> = (input: StrategyInput<Target>) => OwnerChoice;
