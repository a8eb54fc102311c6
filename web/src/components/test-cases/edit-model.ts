/**
 * The pure part of editing a test case (EditTestCase.tsx): the case as the form's texts, the form's
 * texts back to the body of PUT …/test-cases/{caseId} (or the problems of the texts, by field), and
 * which field of the form a server problem names, so that it is shown next to that field.
 * Imported by tests: no runtime imports of web-only modules.
 */

export const STATUSES = ["completed", "exited", "failed", "waiting", "cancelled", "running", "not_enrolled"] as const;

/** The fields of the form, each named by the API path its value is sent under. */
export const FORM_FIELDS = [
  "name",
  "record",
  "record_id",
  "changes",
  "answers",
  "expect.status",
  "expect.path",
  "expect.fields",
  "expect.owner.user",
  "expect.owner.team",
  "expect.messages",
] as const;
export type FormField = (typeof FORM_FIELDS)[number];

export interface CaseLike {
  name: string;
  record_id?: string;
  record?: Record<string, unknown>;
  changes?: Record<string, unknown>;
  answers?: Record<string, unknown>;
  expect: {
    status?: string;
    path?: string[];
    fields?: Record<string, unknown>;
    owner?: { user?: string; team?: string };
    messages?: unknown[];
  };
}

/** What the form holds: plain texts, JSON where the value is structured. */
export interface CaseForm {
  name: string;
  source: "inline" | "live";
  record: string;
  record_id: string;
  changes: string;
  answers: string;
  status: string;
  path: string;
  fields: string;
  ownerUser: string;
  ownerTeam: string;
  messages: string;
}

const pretty = (v: unknown) => (v === undefined ? "" : JSON.stringify(v, null, 2));
const emptyObject = (v: Record<string, unknown> | undefined) => (v && Object.keys(v).length > 0 ? v : undefined);

export function formOf(c: CaseLike): CaseForm {
  return {
    name: c.name,
    source: c.record_id !== undefined ? "live" : "inline",
    record: pretty(c.record),
    record_id: c.record_id ?? "",
    changes: pretty(c.changes),
    answers: pretty(emptyObject(c.answers)),
    status: c.expect.status ?? "",
    path: (c.expect.path ?? []).join(", "),
    fields: pretty(c.expect.fields),
    ownerUser: c.expect.owner?.user ?? "",
    ownerTeam: c.expect.owner?.team ?? "",
    messages: pretty(c.expect.messages),
  };
}

export type FieldProblems = Partial<Record<FormField, string>>;

/** A JSON text as an object (or a list), or the sentence that says why not; empty text: absent. */
function parseJson(text: string, want: "object" | "array"): { value?: unknown; problem?: string } {
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { problem: `not valid JSON: ${(e as Error).message}` };
  }
  const isArray = Array.isArray(value);
  if (want === "array" && !isArray) return { problem: 'must be a JSON list, like [{"kind": "email", "to": "record"}]' };
  if (want === "object" && (isArray || typeof value !== "object" || value === null))
    return { problem: 'must be a JSON object, like {"score": 80}' };
  return { value };
}

/** The body of the PUT, or the problems of the form's texts by field (nothing is sent then). */
export function bodyOf(form: CaseForm): { body: Record<string, unknown> } | { problems: FieldProblems } {
  const problems: FieldProblems = {};
  const json = (field: FormField, text: string, want: "object" | "array") => {
    const r = parseJson(text, want);
    if (r.problem) problems[field] = r.problem;
    return r.value;
  };
  if (form.name.trim() === "") problems.name = "Name the case: say what it checks.";
  const record = form.source === "inline" ? json("record", form.record, "object") : undefined;
  if (form.source === "inline" && form.record.trim() === "") problems.record = 'Describe the record as JSON, like {"score": 80}.';
  if (form.source === "live" && form.record_id.trim() === "") problems.record_id = "Give the id of a live record.";
  const changes = json("changes", form.changes, "object");
  const answers = json("answers", form.answers, "object");
  const fields = json("expect.fields", form.fields, "object");
  const messages = json("expect.messages", form.messages, "array");
  if (Object.keys(problems).length > 0) return { problems };
  const path = form.path
    .split(/[,→\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const owner = {
    ...(form.ownerUser.trim() ? { user: form.ownerUser.trim() } : {}),
    ...(form.ownerTeam.trim() ? { team: form.ownerTeam.trim() } : {}),
  };
  const expect = {
    ...(form.status ? { status: form.status } : {}),
    ...(form.path.trim() !== "" ? { path } : {}),
    ...(fields !== undefined ? { fields } : {}),
    ...(Object.keys(owner).length > 0 ? { owner } : {}),
    ...(messages !== undefined ? { messages } : {}),
  };
  return {
    body: {
      name: form.name.trim(),
      ...(form.source === "inline" ? { record } : { record_id: form.record_id.trim() }),
      ...(changes !== undefined ? { changes } : {}),
      ...(answers !== undefined ? { answers } : {}),
      expect,
    },
  };
}

/**
 * The field of the form a problem's path names ("record.score" → record, "expect.messages[0].kind"
 * → expect.messages, "expect.owner" → expect.owner.user): the longest field the path starts with,
 * or the one it is the parent of; undefined when it names none (shown above the form then).
 */
export function fieldOfProblem(path: string): FormField | undefined {
  const parts = path.split(/[.[\]]/).filter((p) => p !== "");
  const joined = parts.join(".");
  let best: FormField | undefined;
  for (const f of FORM_FIELDS) {
    if ((joined === f || joined.startsWith(`${f}.`)) && (!best || f.length > best.length)) best = f;
  }
  if (best) return best;
  return joined === "" ? undefined : FORM_FIELDS.find((f) => f.startsWith(`${joined}.`));
}

/** Server problems grouped by the form's field; the rest, to show above the form. */
export function problemsByField(errors: readonly { path: string; message: string }[]): { fields: FieldProblems; other: string[] } {
  const fields: FieldProblems = {};
  const other: string[] = [];
  for (const e of errors) {
    const f = fieldOfProblem(e.path);
    if (!f) other.push(e.path ? `${e.path}: ${e.message}` : e.message);
    else {
      const inner = e.path.split(/[.[]/).join(".") === f ? "" : `${e.path}: `;
      fields[f] = fields[f] ? `${fields[f]}; ${inner}${e.message}` : `${inner}${e.message}`;
    }
  }
  return { fields, other };
}
