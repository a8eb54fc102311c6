/**
 * The classify step's predictor keeps a model's head (name, version, on or off) a short while
 * instead of reading it at every step (docs/benchmarks.md "AI"), and forgets it when this process
 * saves a model — so turning a model off still takes effect at the next step here. A unit test of
 * the keeping rule over a counting read port; the HTTP test (ai-classify-workflow) turns a model
 * off on both stores and sees the next ticket go to triage.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { HEAD_TTL_MS, ModelPredictor } from "../../../src/app/ai/model-predictor.js";
import type { AiModelHead } from "../../../src/store/ai-ports.js";

function reads(initial: { enabled: boolean }) {
  const state = { ...initial, reads: 0, during: undefined as (() => void) | undefined };
  const port = {
    aiModels: {
      getAiModelHead: async (): Promise<AiModelHead | undefined> => {
        state.reads++;
        const head = {
          id: "m1",
          name: "Ticket category",
          object: "ticket",
          target: "category",
          enabled: state.enabled,
          version: 1,
          definition: { kind: "classifier", text_fields: ["subject"], value_fields: [], threshold: 0.6 },
        };
        state.during?.();
        return head as unknown as AiModelHead;
      },
      getAiModel: async () => undefined,
    },
  };
  return { state, port: port as never };
}

const ask = (p: ModelPredictor, port: never, ws = "ws1") =>
  p.predict(port, ws, "classify", { model: "Ticket category", field: "category" }, "ticket", { subject: "refund" });

describe("the classify step's predictor keeps model heads", () => {
  afterEach(() => vi.useRealTimers());

  it("reads a head once within the keeping time, again after it", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    const { state, port } = reads({ enabled: false });
    const p = new ModelPredictor();
    expect(await ask(p, port)).toMatchObject({ ok: false, why: "it is turned off" });
    await ask(p, port);
    expect(state.reads).toBe(1);
    vi.advanceTimersByTime(HEAD_TTL_MS + 1);
    await ask(p, port);
    expect(state.reads).toBe(2);
    // Another workspace's model of the same name is its own.
    await ask(p, port, "ws2");
    expect(state.reads).toBe(3);
  });

  it("forgets a workspace's heads when one of its models is saved here, at once", async () => {
    const { state, port } = reads({ enabled: false });
    const p = new ModelPredictor();
    await ask(p, port);
    state.enabled = true;
    expect(await ask(p, port)).toMatchObject({ why: "it is turned off" });
    p.forget("ws1");
    // On now: it goes on to the model's training (none here), so the new head was read.
    expect(await ask(p, port)).toMatchObject({ ok: false, why: "it has not been trained" });
    expect(state.reads).toBe(2);
  });

  it("does not keep a head read while this process saved a model: it may be the old one", async () => {
    const { state, port } = reads({ enabled: false });
    const p = new ModelPredictor();
    state.during = () => p.forget("ws1");
    await ask(p, port);
    state.during = undefined;
    await ask(p, port);
    expect(state.reads).toBe(2);
    await ask(p, port);
    expect(state.reads).toBe(2);
  });
});
