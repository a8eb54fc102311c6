/**
 * Choosing an owner, with the reason recorded. Pure: candidates and the rotation's last pick
 * come in; the choice and a sentence saying why come out.
 */
export interface Candidate {
  id: string;
  name: string;
  active: boolean;
}

export type Choice = { ok: true; userId: string; why: string } | { ok: false; why: string };

/** Simple round-robin: the next active member after the last one picked, in a stable order. */
export function nextInRotation(
  rotation: string,
  members: readonly Candidate[],
  lastPicked: string | undefined,
  exclude: ReadonlySet<string>,
): Choice {
  const eligible = [...members].filter((m) => m.active && !exclude.has(m.id)).sort((a, b) => a.id.localeCompare(b.id));
  if (eligible.length === 0)
    return { ok: false, why: `${rotation} has no active member to assign${exclude.size > 0 ? " besides the current owner" : ""}` };
  const next = eligible.find((m) => lastPicked === undefined || m.id > lastPicked) ?? eligible[0];
  if (!next) return { ok: false, why: `${rotation} has no active member to assign` };
  const after = lastPicked ? members.find((m) => m.id === lastPicked)?.name : undefined;
  return {
    ok: true,
    userId: next.id,
    why: `round-robin over ${rotation}: ${next.name} is next${after ? ` after ${after}` : ""} (${eligible.length} eligible)`,
  };
}
