/**
 * An approval request never outlives what its run waits for (issue 18, review gaps), on both
 * stores, through the real executor and services: a run that fails while a request is pending or
 * sent back closes it (cancelled, saying why) in the same transaction; a request sent back and
 * not resubmitted by the step's timeout times out and the run takes on_timeout, while a resubmission
 * that commits first — the deadline already due, even taken by a worker not yet committed — wins
 * over it; a send-back in
 * the last round max_rounds allows rejects the request and takes on_rejected; a deleted record
 * closes its pending request (its email links then refused); and publish refuses an approval step
 * in a workflow that runs when the record is deleted. Every closed request stops locking its record.
 */
import { describe, expect, it } from "vitest";
import { hashToken } from "../../src/app/approvals/approval-links.js";
import { type CallContext, systemContext } from "../../src/app/context.js";
import { systemClock, ulidGenerator } from "../../src/app/ports.js";
import { RecordWriter } from "../../src/app/records/record-writer.js";
import { ApplyError } from "../../src/runtime/apply/index.js";
import { CompiledCache } from "../../src/runtime/compiled-cache.js";
import { Executor } from "../../src/runtime/executor.js";
import type { Store, StoreTx } from "../../src/store/ports.js";
import type { SqlStore } from "../../src/store/sql/sql-store.js";
import type { RunRow } from "../../src/store/workflow-ports.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

/** A timeout spec; its `then` key is written in one place (Biome refuses `then:` in a literal as a thenable). */
const timeout = (then: string, rest: Record<string, unknown>) => ({ ...rest, then });

/** A store whose transactions throw `error` from the first approval request read of a step, once. */
function failingOnce(store: Store, error: Error): Store {
  let armed = true;
  const wrap = (tx: StoreTx): StoreTx => {
    const approvals = new Proxy(tx.approvals, {
      get(t, p) {
        const v = Reflect.get(t, p, t);
        if (p === "getApprovalRequest" && armed)
          return () => {
            armed = false;
            throw error;
          };
        return typeof v === "function" ? v.bind(t) : v;
      },
    });
    return new Proxy(tx, {
      get(t, p) {
        if (p === "approvals") return approvals;
        const v = Reflect.get(t, p, t);
        return typeof v === "function" ? v.bind(t) : v;
      },
    });
  };
  return new Proxy(store, {
    get(target, prop) {
      if (prop === "transaction") return <T>(fn: (tx: StoreTx) => Promise<T>) => target.transaction((tx) => fn(wrap(tx)));
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`approval requests when their run ends, on ${kind.name}`, () => {
    const env = useTestServer(kind);
    let seq = 0;

    /** A deal owned by Sam, a workflow whose approval step asks Vera, the run enrolled and waiting on round 1. */
    async function pendingApproval(step: Record<string, unknown> = {}) {
      const n = ++seq;
      const s = env.s;
      const ws = s.workspace.id;
      const vera = await s.post("/api/v1/users", { name: `Vera ${n}`, email: `vera${n}@x.test`, role: "manager" });
      const sam = await s.post("/api/v1/users", { name: `Sam ${n}`, email: `sam${n}@x.test`, role: "rep" });
      const deal = await s.post("/api/v1/deals", { name: `Acme ${n}`, amount: 50_000, owner_id: sam.id });
      const w = await s.publish({
        key: `approval-ends-${n}`,
        name: `approval ends ${n}`,
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "deal",
        trigger: { type: "manual" },
        start: "approve",
        steps: {
          approve: {
            type: "approval",
            summary: "Discount on {{ record.name }}",
            fields: ["amount"],
            routes: [{ levels: [{ name: "VP", approvers: [{ user_id: vera.id }] }] }],
            timeout: timeout("escalate", { after: { hours: 1 }, escalate_to: [{ user_id: vera.id }] }),
            max_rounds: 2,
            on_approved: "won",
            on_rejected: "lost",
            on_timeout: "expired",
            ...step,
          },
          won: { type: "end" },
          lost: { type: "end" },
          expired: { type: "end" },
        },
      });
      const ctx = systemContext(ws, `approval-ends-${n}`);
      await s.services.workflows.enroll(ctx, w.id, [deal.id]);
      await s.services.worker.drain();
      const run = await runOf(w.id);
      expect(run.state).toMatchObject({ status: "waiting", wait: { kind: "approval" } });
      const requestId = (run.state.wait as { requestId: string }).requestId;
      return { ws, vera, sam, deal, w, run, requestId, ctx: admin(ws) };
    }

    const admin = (ws: string): CallContext => ({
      workspaceId: ws,
      role: "admin",
      actor: { kind: "system", id: "test" },
      requestId: null,
      causeId: null,
    });

    async function runOf(workflowId: string): Promise<RunRow> {
      const [id] = ((await env.s.get(`/api/v1/runs?workflow_id=${workflowId}`)).data as Json[]).map((r) => r.id as string);
      const run = id ? await env.t.store.runs.getRun(env.s.workspace.id, id) : undefined;
      if (!run) throw new Error(`no run of ${workflowId}`);
      return run;
    }

    const request = async (ws: string, id: string) => {
      const row = await env.t.store.approvals.getApprovalRequest(ws, id);
      if (!row) throw new Error(`no request ${id}`);
      return row;
    };

    /** A write of the amount at stake by the admin, without overriding any lock: its status. */
    const writeAmount = async (dealId: string, amount: number) =>
      (await env.s.api(`/api/v1/deals/${dealId}`, { method: "PATCH", json: { amount } })).status;

    /** Queues an input for the run now, as a due timer or a control would. */
    const queue = (run: RunRow, input: Json) =>
      env.t.store.transaction((tx) =>
        tx.work.insertWorkItems([
          { workspaceId: run.workspaceId, runId: run.id, input: input as never, timerId: null, dueAt: new Date().toISOString() },
        ]),
      );

    const sendBack = (a: Awaited<ReturnType<typeof pendingApproval>>, requestId = a.requestId) =>
      env.s.services.approvals.decide(a.ctx, a.vera.id, requestId, { decision: "revise", comment: "lower the amount" });

    it("closes the pending request, in the failing transaction, when a command of the run cannot be carried out", async () => {
      const a = await pendingApproval();
      expect(await writeAmount(a.deal.id, 1)).toBe(423);
      // The escalation's timer falls due and its step cannot be carried out: the run fails.
      await queue(a.run, { kind: "timer_fired", timerId: (a.run.state.wait as { timerId: string }).timerId });
      const ids = ulidGenerator();
      const store = failingOnce(env.t.store, new ApplyError("the escalation's approvers could not be read"));
      const executor = new Executor({
        store,
        writer: new RecordWriter(store, systemClock, ids),
        cache: new CompiledCache(),
        clock: systemClock,
        ids,
        owner: "approval-ends-test",
      });
      const items = await env.t.store.work.claimWork("approval-ends-test", 10, 15_000);
      expect(items).toHaveLength(1);
      expect(await executor.process(items[0] as (typeof items)[number])).toBe(true);

      const run = await runOf(a.w.id);
      expect(run.state).toMatchObject({ status: "failed", reason: "the escalation's approvers could not be read" });
      const row = await request(a.ws, a.requestId);
      expect(row.status).toBe("cancelled");
      expect(row.state.outcome).toBe("cancelled: the run failed: the escalation's approvers could not be read");
      const steps = (await env.s.get(`/api/v1/runs/${run.id}`)).steps as Json[];
      expect(steps.at(-1)).toMatchObject({ outcome: "failed" });
      expect(steps.at(-1)?.effects).toEqual([{ command: "close_approval", request_id: a.requestId, status: "cancelled", closed: true }]);
      expect(await env.t.store.approvals.pendingApprovalLocks(a.ws, a.deal.id)).toEqual([]);
      expect(await writeAmount(a.deal.id, 2)).toBe(200);
    });

    it("closes a request sent back when its resubmitted round cannot be opened, so that nobody is offered a resubmit", async () => {
      const a = await pendingApproval();
      await sendBack(a);
      await env.s.services.worker.drain();
      expect((await runOf(a.w.id)).state.wait).toMatchObject({ kind: "revision", requestId: a.requestId });
      // The only approver leaves before the resubmission: round 2 can be decided by nobody.
      await env.s.json(`/api/v1/users/${a.vera.id}`, { method: "PATCH", json: { active: false } });
      await env.s.services.approvals.resubmit(a.ctx, a.sam.id, a.requestId, { comment: "lowered" });
      await env.s.services.worker.drain();

      const run = await runOf(a.w.id);
      expect(run.state.status).toBe("failed");
      const row = await request(a.ws, a.requestId);
      expect(row.status).toBe("cancelled");
      expect(row.state.outcome).toMatch(/^cancelled: the run failed: the approval request cannot be decided by anyone: level "VP" needs 1/);
      const view = await env.s.services.approvals.get(a.ctx, a.sam.id, a.requestId);
      expect(view.you_can).toEqual([]);
    });

    it("times the revision out by the step's timeout: the request times out and the run takes on_timeout", async () => {
      const a = await pendingApproval();
      await sendBack(a);
      await env.s.services.worker.drain();
      const waiting = await runOf(a.w.id);
      const wait = waiting.state.wait as { kind: string; timerId: string; dueAt: string };
      expect(wait).toMatchObject({ kind: "revision", timerId: `${a.requestId}:revision` });
      // An hour from the send-back: the step's timeout, counted again.
      expect(Date.parse(wait.dueAt) - Date.now()).toBeGreaterThan(59 * 60_000);
      const shown = await env.s.get(`/api/v1/runs/${waiting.id}`);
      expect(JSON.stringify(shown)).toContain(wait.dueAt);

      await queue(waiting, { kind: "timer_fired", timerId: wait.timerId });
      await env.s.services.worker.drain();
      const run = await runOf(a.w.id);
      expect(run.state).toMatchObject({ status: "completed" });
      const steps = (await env.s.get(`/api/v1/runs/${run.id}`)).steps as Json[];
      expect(steps.map((s) => `${s.step}:${s.outcome}`).slice(-2)).toEqual(["approve:timed_out", "expired:completed"]);
      const row = await request(a.ws, a.requestId);
      expect(row).toMatchObject({ status: "timed_out" });
      expect(row.state.outcome).toBe(`timed out: not resubmitted by ${wait.dueAt}`);
      await expect(env.s.services.approvals.resubmit(a.ctx, a.sam.id, a.requestId, {})).rejects.toMatchObject({
        kind: "conflict",
        message: "this request is timed_out; only a request sent back for revision can be resubmitted",
      });
    });

    /** Moves the revision's deadline to a second ago: it has fallen due, and no worker has taken it yet. */
    const deadlinePassed = (ws: string, timerId: string) =>
      (env.t.store as unknown as SqlStore).db
        .updateTable("work_items")
        .set({ due_at: new Date(Date.now() - 1_000).toISOString() })
        .where("workspace_id", "=", ws)
        .where("timer_id", "=", timerId)
        .execute();

    /** A request sent back, its run waiting for the resubmission until the revision's deadline. */
    async function sentBack() {
      const a = await pendingApproval();
      await sendBack(a);
      await env.s.services.worker.drain();
      const wait = (await runOf(a.w.id)).state.wait as { kind: string; timerId: string; dueAt: string };
      expect(wait).toMatchObject({ kind: "revision", timerId: `${a.requestId}:revision` });
      return { ...a, timerId: wait.timerId };
    }

    /** What a resubmission that won the race leaves: round 2 pending, the request's history saying so, nothing timed out. */
    async function expectRound2(a: Awaited<ReturnType<typeof sentBack>>) {
      const run = await runOf(a.w.id);
      expect(run.state).toMatchObject({ status: "waiting", wait: { kind: "approval", round: 2 } });
      const steps = (await env.s.get(`/api/v1/runs/${run.id}`)).steps as Json[];
      expect(steps.map((s) => s.outcome)).not.toContain("timed_out");
      const history = await env.t.store.approvals.approvalHistory(a.ws, a.requestId);
      expect(history.map((h) => h.kind)).toContain("resubmitted");
      expect(history.map((h) => h.kind)).not.toContain("timed_out");
      expect((await request(a.ws, a.requestId)).status).not.toBe("timed_out");
    }

    it("lets a resubmission accepted after the revision's deadline fell due, but before a worker took it, win: the deadline is cancelled", async () => {
      const a = await sentBack();
      await deadlinePassed(a.ws, a.timerId);
      await env.s.services.approvals.resubmit(a.ctx, a.sam.id, a.requestId, { comment: "lowered just in time" });
      await env.s.services.worker.drain();
      await expectRound2(a);
    });

    it("lets a resubmission win over a worker that took the fallen-due deadline first but had not committed: its step rolls back", async () => {
      const a = await sentBack();
      await deadlinePassed(a.ws, a.timerId);
      const ids = ulidGenerator();
      const executor = new Executor({
        store: env.t.store,
        writer: new RecordWriter(env.t.store, systemClock, ids),
        cache: new CompiledCache(),
        clock: systemClock,
        ids,
        owner: "revision-race-test",
      });
      const items = await env.t.store.work.claimWork("revision-race-test", 10, 15_000);
      expect(items.map((i) => i.timerId)).toEqual([a.timerId]);
      // The submitter's resubmission commits while the worker holds the deadline's item.
      await env.s.services.approvals.resubmit(a.ctx, a.sam.id, a.requestId, { comment: "lowered just in time" });
      // The worker's timeout step finds its item cancelled at commit: nothing of it is kept.
      expect(await executor.process(items[0] as (typeof items)[number])).toBe(false);
      await env.s.services.worker.drain();
      await expectRound2(a);
    });

    it("rejects a send-back in the last round max_rounds allows, and takes on_rejected", async () => {
      const a = await pendingApproval();
      await sendBack(a);
      await env.s.services.worker.drain();
      await env.s.services.approvals.resubmit(a.ctx, a.sam.id, a.requestId, { comment: "lowered" });
      await env.s.services.worker.drain();
      const round2 = (await runOf(a.w.id)).state.wait as { kind: string; requestId: string; round: number };
      expect(round2).toMatchObject({ kind: "approval", round: 2 });
      await sendBack(a, round2.requestId);
      await env.s.services.worker.drain();

      const run = await runOf(a.w.id);
      expect(run.state.status).toBe("completed");
      const steps = (await env.s.get(`/api/v1/runs/${run.id}`)).steps as Json[];
      expect(steps.map((s) => `${s.step}:${s.outcome}`).slice(-2)).toEqual(["approve:rejected", "lost:completed"]);
      const row = await request(a.ws, round2.requestId);
      expect(row.status).toBe("rejected");
      expect(row.state.outcome).toBe("sent back 2 times; max_rounds (2) reached — rejected");
      const view = await env.s.services.approvals.get(a.ctx, a.sam.id, round2.requestId);
      expect(view.you_can).toEqual([]);
      await expect(env.s.services.approvals.resubmit(a.ctx, a.sam.id, round2.requestId, {})).rejects.toMatchObject({
        kind: "conflict",
      });
    });

    it("closes the pending request when its record is deleted: no lock left, its email links refused", async () => {
      const a = await pendingApproval();
      const token = "A".repeat(43);
      await env.t.store.transaction((tx) =>
        tx.approvals.insertApprovalLinks([
          {
            workspaceId: a.ws,
            tokenHash: hashToken(token),
            grant: `grant-${a.requestId}`,
            requestId: a.requestId,
            userId: a.vera.id,
            decision: "approve",
            expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
            usedAt: null,
          },
        ]),
      );
      expect(await env.t.store.approvals.pendingApprovalLocks(a.ws, a.deal.id)).toHaveLength(1);
      const res = await env.s.api(`/api/v1/deals/${a.deal.id}`, { method: "DELETE" });
      expect(res.status).toBeLessThan(300);
      await env.s.services.worker.drain();

      const run = await runOf(a.w.id);
      expect(run.state).toMatchObject({ status: "cancelled", reason: "the record was deleted" });
      const row = await request(a.ws, a.requestId);
      expect(row.status).toBe("cancelled");
      // The delete closes it in its own transaction (the run's close then finds it closed already).
      expect(row.state.outcome).toMatch(/^cancelled: deal \S+ was deleted$/);
      expect(await env.t.store.approvals.pendingApprovalLocks(a.ws, a.deal.id)).toEqual([]);
      expect(await env.t.store.approvals.openApprovalCount(a.ws, a.vera.id)).toBe(0);
      await expect(env.s.services.approvals.decideByLink({ token })).rejects.toMatchObject({
        kind: "conflict",
        message: expect.stringMatching(/^this request is no longer pending: cancelled: deal \S+ was deleted$/),
      });
    });

    it("refuses at publish an approval step in a workflow that runs when the record is deleted, at the step's path", async () => {
      const saved = await env.s.post("/api/v1/workflows", {
        definition: {
          key: "approve-deleted",
          name: "approve deleted",
          description: "Why it exists: a test fixture (publishing needs a description).",
          object: "deal",
          trigger: { type: "record_deleted" },
          start: "approve",
          steps: {
            approve: {
              type: "approval",
              summary: "Deleted {{ record.name }}",
              routes: [{ levels: [{ approvers: [{ role: "manager" }] }] }],
              on_approved: "done",
            },
            done: { type: "end" },
          },
        },
      });
      const res = await env.s.api(`/api/v1/workflows/${saved.id}/publish`, { method: "POST", json: {} });
      expect(res.status).toBe(422);
      const problems = ((await res.json()) as Json).errors as Json[];
      expect(problems).toContainEqual(
        expect.objectContaining({
          path: "steps.approve",
          message: expect.stringContaining("this workflow runs when the deal is deleted: the record is gone"),
        }),
      );
      expect((await env.s.get(`/api/v1/workflows/${saved.id}`)).live_version).toBeNull();
    });
  });
}
