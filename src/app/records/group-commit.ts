/**
 * Group commit for record writes: writes that arrive together (concurrent API requests, form
 * posts, inbound deliveries) share one transaction and one commit instead of paying a commit —
 * an fsync on SQLite, a flush and the event-log lock on PostgreSQL — each.
 *
 * Each write runs under its own savepoint, so a refused write (a reference to a missing record,
 * a lost race) is undone alone and rejected, while the others go on. A write is acknowledged
 * only once the shared transaction has committed; if that transaction fails as a whole, every
 * write of the group is run again in a transaction of its own, exactly as without grouping.
 */
import type { Store, StoreTx } from "../../store/ports.js";
import type { CommitCounters } from "../commit-counters.js";

export interface GroupCommitOptions {
  /** Writes that may share one transaction. Default 64. */
  maxWrites: number;
}

interface Pending {
  fn: (tx: StoreTx) => Promise<unknown>;
  /** Whether a failure of this kind is worth another attempt (a lost race). */
  retry: (error: unknown) => boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Attempts at a write whose failure `retry` accepts, within the group and then alone. */
const ATTEMPTS = 5;

export class GroupCommit {
  private queue: Pending[] = [];
  private busy = false;

  constructor(
    private readonly store: Store,
    private readonly options: GroupCommitOptions = { maxWrites: 64 },
    /** Called after each commit that wrote something (the in-process worker wakes up on it). */
    private readonly onCommit: () => void = () => {},
    /** Counts each commit and the writes it carried (the engine's grouping, read by bench:engine). */
    private readonly counters?: CommitCounters,
  ) {}

  /**
   * Runs `fn` in a transaction shared with the writes submitted in the same turn of the event
   * loop (or while the previous group was committing); resolves after the commit.
   */
  run<T>(fn: (tx: StoreTx) => Promise<T>, retry: (error: unknown) => boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, retry, resolve: resolve as (value: unknown) => void, reject });
      if (!this.busy) this.schedule();
    });
  }

  private schedule() {
    this.busy = true;
    // setImmediate, not a microtask: requests parsed in the same I/O phase join the group.
    setImmediate(() => {
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const group = this.queue.splice(0, Math.max(1, this.options.maxWrites));
    try {
      if (group.length === 1) await this.alone(group[0] as Pending);
      else await this.together(group);
    } finally {
      if (this.queue.length > 0) this.schedule();
      else this.busy = false;
    }
  }

  private async together(group: Pending[]): Promise<void> {
    const done: Array<{ write: Pending; value: unknown }> = [];
    const refused: Array<{ write: Pending; error: unknown }> = [];
    try {
      await this.store.transaction(async (tx) => {
        done.length = 0;
        refused.length = 0;
        for (const write of group) {
          for (let attempt = 1; ; attempt++) {
            try {
              done.push({ write, value: await tx.savepoint(() => write.fn(tx)) });
              break;
            } catch (error) {
              if (write.retry(error) && attempt < ATTEMPTS) continue;
              refused.push({ write, error });
              break;
            }
          }
        }
      });
    } catch {
      // The shared transaction failed (the commit, the connection): nothing of it was written.
      for (const write of group) await this.alone(write);
      return;
    }
    if (done.length > 0) {
      this.counters?.note("record_writes", done.length);
      this.onCommit();
    }
    for (const { write, value } of done) write.resolve(value);
    for (const { write, error } of refused) write.reject(error);
  }

  private async alone(write: Pending): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const value = await this.store.transaction((tx) => write.fn(tx));
        this.counters?.note("record_writes", 1);
        this.onCommit();
        write.resolve(value);
        return;
      } catch (error) {
        if (write.retry(error) && attempt < ATTEMPTS) continue;
        write.reject(error);
        return;
      }
    }
  }
}
