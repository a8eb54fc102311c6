/** Configuration from the environment: defaults, and refusals that name the setting. */
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/composition/config.js";

describe("HANDOFF_INLINE_RUNS", () => {
  it("is unset by default (a matcher pass takes the first steps of all its runs), and empty means unset", () => {
    expect(loadConfig({}).inlineRuns).toBeUndefined();
    expect(loadConfig({ HANDOFF_INLINE_RUNS: "" }).inlineRuns).toBeUndefined();
  });

  it("takes a whole number of runs, 0 turning it off", () => {
    expect(loadConfig({ HANDOFF_INLINE_RUNS: "64" }).inlineRuns).toBe(64);
    expect(loadConfig({ HANDOFF_INLINE_RUNS: "0" }).inlineRuns).toBe(0);
  });

  it("refuses a negative or fractional number, naming the setting", () => {
    for (const bad of ["-1", "2.5", "many"]) {
      expect(() => loadConfig({ HANDOFF_INLINE_RUNS: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ HANDOFF_INLINE_RUNS: bad })).toThrow(/inlineRuns/);
    }
  });
});
