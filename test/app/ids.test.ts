import { describe, expect, it } from "vitest";
import { ulidGenerator } from "../../src/app/ports.js";

describe("ulidGenerator", () => {
  it("makes distinct lower-case ULIDs that sort in the order they were made", () => {
    const ids = ulidGenerator();
    const made = Array.from({ length: 5_000 }, () => ids.next());
    for (const id of made) expect(id).toMatch(/^[0-9a-hjkmnp-tv-z]{26}$/);
    expect(new Set(made).size).toBe(made.length);
    expect([...made].sort()).toEqual(made);
  });

  it("draws the random part from the whole alphabet (the pooled source is not stuck)", () => {
    const a = ulidGenerator().next();
    const b = ulidGenerator().next();
    // Two generators in the same millisecond share the time part, never the 80 random bits.
    expect(a.slice(10)).not.toBe(b.slice(10));
    // Each new generator draws a fresh random part: 200 of them use all 32 characters.
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) for (const ch of ulidGenerator().next().slice(10)) seen.add(ch);
    expect(seen.size).toBe(32);
  });
});
