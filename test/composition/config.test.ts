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

describe("HANDOFF_METRICS_TOKEN", () => {
  const TOKEN = "0123456789abcdef0123456789abcdef";
  it("must be 32 printable characters or more: a shorter or spaced one stops the start, naming the variable", () => {
    expect(loadConfig({ HANDOFF_METRICS_TOKEN: TOKEN }).metricsToken).toBe(TOKEN);
    expect(loadConfig({ HANDOFF_METRICS_TOKEN: "" }).metricsToken).toBeUndefined();
    expect(() => loadConfig({ HANDOFF_METRICS_TOKEN: "short" })).toThrow(ConfigError);
    expect(() => loadConfig({ HANDOFF_METRICS_TOKEN: "short" })).toThrow(/metricsToken: HANDOFF_METRICS_TOKEN must be at least 32/);
    expect(() => loadConfig({ HANDOFF_METRICS_TOKEN: `${TOKEN} ${TOKEN}` })).toThrow(/printable ASCII without spaces/);
    // The refusal names the setting, never the value (it goes to the terminal and the logs).
    expect(() => loadConfig({ HANDOFF_METRICS_TOKEN: "s3cret-but-short" })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("s3cret") }),
    );
  });
});
