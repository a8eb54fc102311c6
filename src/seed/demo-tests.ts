/**
 * The demo's test cases (issue 19; docs/testing-workflows.md): three cases saved on speed-to-lead
 * — a lead that fits (score 80, 300 employees: the whole path, one email to the lead), one under
 * the score threshold and one too small (neither enrolls, nothing is sent) — run once, so that
 * the workflow's page shows them with a last result on first start.
 */
import type { CallContext } from "../app/context.js";
import type { Services } from "../composition/root.js";

export const DEMO_TEST_WORKFLOW = "speed-to-lead";

const LEAD = { first_name: "Ada", last_name: "Lovelace", email: "ada.lovelace@example.com", company_name: "Analytical Engines" };

export const DEMO_TEST_CASES = [
  {
    name: "Score 80 and 300 employees: the whole path, one email to the lead",
    record: { ...LEAD, score: 80, employee_count: 300 },
    expect: {
      status: "completed",
      path: ["assign", "call-task", "auto-reply", "wait-for-call", "reassign", "alert-lead", "done"],
      messages: [{ kind: "email", to: "record" }],
    },
  },
  {
    name: "Score 30: not enrolled, nothing sent",
    record: { ...LEAD, score: 30, employee_count: 300 },
    expect: { status: "not_enrolled", path: [], messages: [{ kind: "email", count: 0 }] },
  },
  {
    name: "Team of 8: too small to enroll",
    record: { ...LEAD, score: 90, employee_count: 8 },
    expect: { status: "not_enrolled", messages: [{ kind: "email", count: 0 }] },
  },
];

/** Saves the cases on speed-to-lead (when it is installed) and runs them; how many passed. */
export async function seedTestCases(s: Services, ctx: CallContext): Promise<number | undefined> {
  const workflow = await s.store.workflows.getWorkflowByKey(ctx.workspaceId, DEMO_TEST_WORKFLOW);
  if (!workflow) return undefined;
  for (const c of DEMO_TEST_CASES) await s.workflowTests.createCase(ctx, workflow.id, c);
  const runs = await s.workflowTests.runCases(ctx, workflow.id);
  return runs.filter((r) => r.result.passed).length;
}
