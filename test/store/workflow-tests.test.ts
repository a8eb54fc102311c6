/**
 * Workflow test cases on SQLite and a real PostgreSQL (issue 19): setup, answers and
 * expectations round-trip as JSON, names are unique per workflow (not across workflows), reads
 * stay in their workspace and workflow, the last result is kept with when and on which version.
 * And the sandbox copy: a workspace read out of the store holds its configuration and people,
 * the chosen records with their references and referrers, and nothing of another workspace.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/store/ports.js";
import type { TestCaseRow } from "../../src/store/workflow-test-ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const T0 = "2026-01-01T00:00:00.000Z";
const T1 = "2026-01-02T00:00:00.000Z";

const testCase = (workspaceId: string, id: string, name: string, extra: Partial<TestCaseRow> = {}): TestCaseRow => ({
  workspaceId,
  id,
  workflowId: "wf1",
  name,
  setup: { record: { first_name: "Ada", score: 80, tags: ["a", "b"] } },
  answers: { approve: [{ decision: "approve" }] },
  expect: { status: "completed", path: ["a", "b"], messages: [{ kind: "email", to: "record" }] },
  lastResult: null,
  lastRunAt: null,
  lastVersion: null,
  createdAt: T0,
  updatedAt: T0,
  updatedBy: "system:cli",
  ...extra,
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`workflow test cases and the sandbox copy: ${kind.name}`, () => {
    let t: TestStore;
    let store: Store;

    beforeAll(async () => {
      t = await kind.open();
      store = t.store;
      await store.transaction(async (tx) => {
        await tx.workspaces.insertWorkspace({ id: "ws-a", slug: "a", name: "A", timeZone: "UTC", createdAt: T0 });
        await tx.workspaces.insertWorkspace({ id: "ws-b", slug: "b", name: "B", timeZone: "UTC", createdAt: T0 });
      });
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("stores a case and reads it back, JSON intact, only in its workspace and workflow", async () => {
      expect(await store.transaction((tx) => tx.workflowTests.insertTestCase(testCase("ws-a", "c1", "High score")))).toBe(true);
      expect(await store.workflowTests.getTestCase("ws-a", "wf1", "c1")).toEqual(testCase("ws-a", "c1", "High score"));
      expect(await store.workflowTests.getTestCase("ws-b", "wf1", "c1")).toBeUndefined();
      expect(await store.workflowTests.getTestCase("ws-a", "wf2", "c1")).toBeUndefined();
      expect(await store.workflowTests.listTestCases("ws-b", "wf1")).toEqual([]);
    });

    it("refuses a second case of the same name on a workflow, allows it on another; lists by name", async () => {
      expect(await store.transaction((tx) => tx.workflowTests.insertTestCase(testCase("ws-a", "c2", "High score")))).toBe(false);
      expect(
        await store.transaction((tx) => tx.workflowTests.insertTestCase(testCase("ws-a", "c3", "High score", { workflowId: "wf2" }))),
      ).toBe(true);
      await store.transaction((tx) => tx.workflowTests.insertTestCase(testCase("ws-a", "c4", "A low score")));
      expect((await store.workflowTests.listTestCases("ws-a", "wf1")).map((c) => c.id)).toEqual(["c4", "c1"]);
    });

    it("updates a case (not onto another's name), keeps its last result, deletes it", async () => {
      const changed = testCase("ws-a", "c1", "High score, 300 employees", { expect: { status: "exited" }, updatedAt: T1 });
      expect(await store.transaction((tx) => tx.workflowTests.updateTestCase(changed))).toBe(true);
      expect(await store.transaction((tx) => tx.workflowTests.updateTestCase({ ...changed, name: "A low score" }))).toBe(false);
      expect(await store.transaction((tx) => tx.workflowTests.updateTestCase({ ...changed, workspaceId: "ws-b" }))).toBe(false);
      const result = {
        passed: false,
        failures: [{ expectation: "path", expected: ["a"], actual: ["b"], message: "step 1: expected a, got b" }],
      };
      await store.transaction((tx) => tx.workflowTests.recordTestResult("ws-a", "c1", result, T1, 3));
      expect(await store.workflowTests.getTestCase("ws-a", "wf1", "c1")).toEqual({
        ...changed,
        lastResult: result,
        lastRunAt: T1,
        lastVersion: 3,
      });
      expect(await store.transaction((tx) => tx.workflowTests.deleteTestCase("ws-b", "wf1", "c1"))).toBe(false);
      expect(await store.transaction((tx) => tx.workflowTests.deleteTestCase("ws-a", "wf1", "c1"))).toBe(true);
      expect(await store.workflowTests.getTestCase("ws-a", "wf1", "c1")).toBeUndefined();
    });

    it("reads a workspace out for a sandbox: its people, the chosen record, what it references and what references it — nothing of another workspace, no secret", async () => {
      const rec = (workspaceId: string, id: string, object: string, data: Record<string, unknown>) => ({
        workspaceId,
        id,
        object: object as never,
        version: 1,
        data,
        createdAt: T0,
        updatedAt: T0,
      });
      await store.transaction(async (tx) => {
        await tx.records.insertRecords([
          rec("ws-a", "u1", "user", { name: "Ana", email: "ana@a.test", role: "rep" }),
          rec("ws-a", "t1", "team", { name: "East" }),
          rec("ws-a", "co1", "company", { name: "Acme" }),
          rec("ws-a", "l1", "lead", { first_name: "Ada", company_id: "co1", owner_id: "u1" }),
          rec("ws-a", "l2", "lead", { first_name: "Other" }),
          rec("ws-a", "a1", "activity", { type: "call", related_id: "l1" }),
          rec("ws-a", "a2", "activity", { type: "call", related_id: "l2" }),
          rec("ws-b", "u9", "user", { name: "Eve", email: "eve@b.test", role: "admin" }),
        ]);
        await tx.connectors.insertConnector({
          workspaceId: "ws-a",
          id: "k1",
          key: "crm",
          kind: "http",
          name: "CRM",
          config: { base_url: "https://crm.example" },
          secrets: "v1.sealed.secret",
          secretNames: ["token"],
          createdAt: T0,
          updatedAt: T0,
        });
      });
      const copy = await store.sandboxCopy.readWorkspaceCopy("ws-a", ["l1", "u9"]);
      expect(copy.tables.workspaces?.map((w) => w.id)).toEqual(["ws-a"]);
      expect((copy.tables.records ?? []).map((r) => r.id).sort()).toEqual(["a1", "co1", "l1", "t1", "u1"]);
      expect(copy.tables.connectors?.map((c) => [c.key, c.secrets])).toEqual([["crm", null]]);
      for (const never of [
        "runs",
        "events",
        "audit_log",
        "outbox",
        "credentials",
        "sessions",
        "api_tokens",
        "workflows",
        "workflow_test_cases",
      ])
        expect(copy.tables[never], never).toBeUndefined();
    });
  });
}
