/** The engine's commit counters: commits and items by kind, a histogram of sizes, differences between snapshots. */
import { describe, expect, it } from "vitest";
import { CommitCounters, commitsBetween } from "../../src/app/commit-counters.js";

describe("commit counters", () => {
  it("count commits, items and sizes by kind; a commit of nothing is not a commit", () => {
    const c = new CommitCounters();
    c.note("record_writes", 3);
    c.note("record_writes", 3);
    c.note("record_writes", 1);
    c.note("matcher", 0);
    c.note("steps", 40);
    expect(c.snapshot()).toEqual({
      record_writes: { commits: 3, items: 7, sizes: { 1: 1, 3: 2 } },
      steps: { commits: 1, items: 40, sizes: { 40: 1 } },
    });
  });

  it("a snapshot is a copy, and commitsBetween gives what happened between two", () => {
    const c = new CommitCounters();
    c.note("record_writes", 2);
    const before = c.snapshot();
    c.note("record_writes", 2);
    c.note("record_writes", 5);
    c.note("matcher", 200);
    expect(before).toEqual({ record_writes: { commits: 1, items: 2, sizes: { 2: 1 } } });
    expect(commitsBetween(before, c.snapshot())).toEqual({
      record_writes: { commits: 2, items: 7, sizes: { 2: 1, 5: 1 } },
      matcher: { commits: 1, items: 200, sizes: { 200: 1 } },
    });
    expect(commitsBetween(c.snapshot(), c.snapshot())).toEqual({});
  });
});
