/**
 * How the engine grouped its work into commits: for each kind of commit (record writes sharing a
 * group commit, matcher passes, executed steps), how many commits wrote something and how many
 * items each carried. Always on — a map update per commit, beside a transaction that costs far
 * more — so that `npm run bench:engine` replays the same grouping as its store's ceiling
 * (docs/benchmarks.md, "the same rows, written the same way"), and an operator can see it.
 */
export type CommitKind = "record_writes" | "matcher" | "steps";

export interface CommitCount {
  commits: number;
  items: number;
  /** Items per commit → how many commits carried that many. */
  sizes: Record<number, number>;
}

export class CommitCounters {
  private readonly kinds = new Map<CommitKind, { commits: number; items: number; sizes: Map<number, number> }>();

  /** A commit of `kind` that carried `items` (> 0) has returned. */
  note(kind: CommitKind, items: number): void {
    if (items <= 0) return;
    let k = this.kinds.get(kind);
    if (!k) {
      k = { commits: 0, items: 0, sizes: new Map() };
      this.kinds.set(kind, k);
    }
    k.commits++;
    k.items += items;
    k.sizes.set(items, (k.sizes.get(items) ?? 0) + 1);
  }

  /** A copy of the counts so far, by kind. */
  snapshot(): Partial<Record<CommitKind, CommitCount>> {
    const out: Partial<Record<CommitKind, CommitCount>> = {};
    for (const [kind, k] of this.kinds) out[kind] = { commits: k.commits, items: k.items, sizes: Object.fromEntries(k.sizes) };
    return out;
  }
}

/** What happened between two snapshots. */
export function commitsBetween(
  before: Partial<Record<CommitKind, CommitCount>>,
  after: Partial<Record<CommitKind, CommitCount>>,
): Partial<Record<CommitKind, CommitCount>> {
  const out: Partial<Record<CommitKind, CommitCount>> = {};
  for (const kind of Object.keys(after) as CommitKind[]) {
    const a = after[kind] as CommitCount;
    const b = before[kind];
    const sizes: Record<number, number> = {};
    for (const [size, n] of Object.entries(a.sizes)) {
      const d = n - (b?.sizes[Number(size)] ?? 0);
      if (d > 0) sizes[Number(size)] = d;
    }
    const commits = a.commits - (b?.commits ?? 0);
    if (commits > 0) out[kind] = { commits, items: a.items - (b?.items ?? 0), sizes };
  }
  return out;
}
