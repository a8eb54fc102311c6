/**
 * A test case's expectations checked against a test run's result (issue 19): pure. Each failure
 * names its expectation, what was expected, what happened, and says it in a sentence; a path
 * failure names the first step that differed ("step 2: expected call-task, got auto-reply").
 */
import type { TestRunResult } from "./test-run-result.js";
import type { Expectations } from "./test-run-schemas.js";

export interface Failure {
  /** `status`, `path`, `fields.<name>`, `owner.user`, `owner.team`, `messages[i]`. */
  expectation: string;
  expected: unknown;
  actual: unknown;
  message: string;
}

export interface CaseResult {
  passed: boolean;
  failures: Failure[];
}

/** What the checks read of a result. */
export type Checked = Pick<TestRunResult, "status" | "path" | "record" | "owner" | "messages">;

export function checkExpectations(expect: Expectations, result: Checked): CaseResult {
  const failures: Failure[] = [];
  if (expect.status !== undefined && expect.status !== result.status)
    failures.push({
      expectation: "status",
      expected: expect.status,
      actual: result.status,
      message: `status: expected ${expect.status}, got ${result.status}`,
    });
  if (expect.path !== undefined) {
    const diff = pathDifference(expect.path, result.path);
    if (diff) failures.push({ expectation: "path", expected: expect.path, actual: result.path, message: diff });
  }
  for (const [field, want] of Object.entries(expect.fields ?? {})) {
    const got = result.record?.[field];
    if (!sameValue(want, got))
      failures.push({
        expectation: `fields.${field}`,
        expected: want,
        actual: got ?? null,
        message: `field ${field}: expected ${show(want)}, got ${show(got)}`,
      });
  }
  if (expect.owner?.user !== undefined) {
    const o = result.owner;
    const want = expect.owner.user.toLowerCase();
    const matches = o !== null && [o.user_id, o.name, o.email].some((v) => typeof v === "string" && v.toLowerCase() === want);
    if (!matches)
      failures.push({
        expectation: "owner.user",
        expected: expect.owner.user,
        actual: o?.name ?? o?.user_id ?? null,
        message: `owner: expected ${expect.owner.user}, got ${o ? (o.name ?? o.user_id ?? "nobody (held)") : "no owner chosen"}`,
      });
  }
  if (expect.owner?.team !== undefined) {
    const got = result.owner?.team ?? null;
    if (got?.toLowerCase() !== expect.owner.team.toLowerCase())
      failures.push({
        expectation: "owner.team",
        expected: expect.owner.team,
        actual: got,
        message: `owner's team: expected ${expect.owner.team}, got ${got ?? "none"}`,
      });
  }
  (expect.messages ?? []).forEach((m, i) => {
    const recordEmail = typeof result.record?.email === "string" ? result.record.email.toLowerCase() : undefined;
    const to = m.to === "record" ? recordEmail : m.to?.toLowerCase();
    const count = result.messages.filter((msg) => msg.kind === m.kind && (m.to === undefined || recipientOf(msg) === to)).length;
    const want = m.count ?? 1;
    if (count !== want)
      failures.push({
        expectation: `messages[${i}]`,
        expected: want,
        actual: count,
        message: `messages: expected ${want} ${m.kind}${m.to ? ` to ${m.to === "record" ? `the record (${recordEmail ?? "no email"})` : m.to}` : ""}, got ${count}`,
      });
  });
  return { passed: failures.length === 0, failures };
}

/** The first difference of two paths, in words; undefined when they are the same. */
export function pathDifference(expected: readonly string[], actual: readonly string[]): string | undefined {
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    if (expected[i] === actual[i]) continue;
    if (expected[i] === undefined) return `step ${i + 1}: expected the run to end, got ${actual[i]}`;
    if (actual[i] === undefined) return `step ${i + 1}: expected ${expected[i]}, got the end of the run`;
    return `step ${i + 1}: expected ${expected[i]}, got ${actual[i]}`;
  }
  return undefined;
}

function recipientOf(m: TestRunResult["messages"][number]): string | undefined {
  if (m.kind === "email" && "to" in m && typeof m.to === "string") return m.to.toLowerCase();
  return undefined;
}

/** Equal as JSON values (a number 80 and "80" are not). */
function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

const show = (v: unknown) => (v === undefined ? "nothing" : JSON.stringify(v));
