/** The bodies people send about approval requests (docs/approvals.md), checked at the edge. */
import { z } from "zod";
import { zodIssues } from "../../engine/validate.js";
import { invalid } from "../errors.js";
import { checkIncomingJson } from "../incoming-json.js";

export const MAX_COMMENT = 2_000;

export const decisionBodySchema = z
  .object({
    decision: z.enum(["approve", "reject", "revise"]).describe("revise: send back to the submitter, with a comment"),
    comment: z.string().max(MAX_COMMENT).optional().describe("required to send back; shown in the request's history"),
  })
  .strict();
export type DecisionBody = z.infer<typeof decisionBodySchema>;

export const resubmitBodySchema = z.object({ comment: z.string().max(MAX_COMMENT).optional().describe("what was changed") }).strict();
export type ResubmitBody = z.infer<typeof resubmitBodySchema>;

export const linkDecisionBodySchema = z
  .object({
    token: z.string().min(1).max(100).describe("the token from the email link's fragment (#t=…)"),
    comment: z.string().max(MAX_COMMENT).optional(),
  })
  .strict();

export const linkInspectBodySchema = z.object({ token: z.string().min(1).max(100) }).strict();

/** A body parsed, or a 422 naming each wrong field; NUL and lone surrogates refused first. */
export function parseBody<T>(schema: z.ZodType<T>, input: unknown): T {
  checkIncomingJson(input, []);
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalid(withAllowedValues(parsed.error.issues));
  return parsed.data;
}

/** The issues, each wrong choice (an unknown decision) with the values it may take as `expected`. */
function withAllowedValues(raw: readonly z.core.$ZodIssue[]) {
  const key = (path: readonly PropertyKey[]) => path.map(String).join(".");
  const allowed = new Map<string, string[]>();
  for (const i of raw) if (i.code === "invalid_value") allowed.set(key(i.path), i.values.map(String));
  return zodIssues(raw).map((issue) => {
    const values = allowed.get(key(issue.path));
    return values ? { ...issue, expected: values } : issue;
  });
}
