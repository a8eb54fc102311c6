/**
 * Everything the builder can insert into a workflow: every flow step (branch, switch, delay,
 * wait for, approval, end) and every action of the format, each with its name and a sentence in the
 * admin's words, the base of the readable ids it gets ("send-email", "send-email-2") and a
 * default that makes sense before anything is set (wait 15 minutes; a branch with one rule and
 * an otherwise). The two registries are typed over the format's unions, so a step type or an
 * action without an entry is a compile error (test/web/builder-edit.test.ts also checks them
 * against the engine's own schema). Defaults include the fields the format fills in by default,
 * so that a saved and reloaded step reads the same. Pure.
 */
import type { ActionSpec, Condition, PersonSpec, StepSpec } from "../../../components/graph/definition.js";

export type ActionType = ActionSpec["type"];
export type FlowType = Exclude<StepSpec["type"], "action">;
export type PaletteId = ActionType | FlowType;

export type PaletteGroup = "Decide" | "Wait" | "Change records" | "Tell people" | "Reach other systems" | "Other workflows" | "Stop";
export const PALETTE_GROUPS: readonly PaletteGroup[] = [
  "Change records",
  "Tell people",
  "Reach other systems",
  "Decide",
  "Wait",
  "Other workflows",
  "Stop",
];

/** What a default may depend on: the workflow's object, the other workflows' keys, and a way to make an end step for a path that needs one. */
export interface InsertContext {
  object: string;
  /** Keys of the workspace's other workflows (for enroll / unenroll), when known. */
  workflows?: readonly string[] | undefined;
  /** A fresh end step's id, for the paths of a branch, a switch or a wait that must lead somewhere. */
  end: () => string;
  /** The workspace's AI models (for classify), when known. */
  aiModels?: ReadonlyArray<{ name: string; object: string; target: string }> | undefined;
}

interface Entry<S> {
  group: PaletteGroup;
  /** The item's name: "Send email". */
  label: string;
  /** What it does, in one sentence. */
  words: string;
  /** Base of the new step's id. */
  idBase: string;
  make: (ctx: InsertContext) => S;
}

export interface PaletteItem extends Entry<StepSpec> {
  id: PaletteId;
}

/** The person field of each object: who "the owner" is for a notification or a branch. */
const PERSON_FIELD: Record<string, string> = { user: "manager_id", team: "lead_id", ticket: "assignee_id", activity: "user_id" };
const personField = (object: string) => PERSON_FIELD[object] ?? "owner_id";
const PEOPLE = new Set(["lead", "contact"]);
/** Records an activity or a task can be about (their `related_id`). */
const ENGAGEABLE = new Set(["lead", "contact", "company", "deal", "ticket"]);
const WITH_COMPANY = new Set(["lead", "contact", "deal", "ticket"]);

/** A field with a few values per object, for a switch's first case and an update's example. */
export const CHOICES: Record<string, { field: string; values: [string, string] }> = {
  lead: { field: "status", values: ["new", "working"] },
  contact: { field: "status", values: ["active", "inactive"] },
  deal: { field: "stage", values: ["qualification", "discovery"] },
  ticket: { field: "status", values: ["new", "open"] },
  task: { field: "status", values: ["open", "in_progress"] },
  activity: { field: "type", values: ["call", "email"] },
  user: { field: "role", values: ["rep", "manager"] },
};

/** How a record is named in a template (an approval's summary): its name, subject, or a person's name. */
const TITLE_TEMPLATE: Record<string, string> = {
  lead: "{{ record.first_name }} {{ record.last_name }}",
  contact: "{{ record.first_name }} {{ record.last_name }}",
  ticket: "{{ record.subject }}",
  task: "{{ record.subject }}",
  activity: "{{ record.subject }}",
};
const titleTemplate = (object: string) => TITLE_TEMPLATE[object] ?? "{{ record.name }}";

const ownerSet = (object: string): Condition => ({ field: personField(object), op: "is_set" });
const owner = (object: string): PersonSpec => ({ field: personField(object) });

const ACTIONS: { [K in ActionType]: Entry<Extract<ActionSpec, { type: K }>> } = {
  update_fields: {
    group: "Change records",
    label: "Update fields",
    words: "Set fields of the record to new values.",
    idBase: "update-fields",
    make: ({ object }) => {
      const c = CHOICES[object];
      return { type: "update_fields", fields: c ? { [c.field]: c.values[1] } : {} };
    },
  },
  create_task: {
    group: "Change records",
    label: "Create task",
    words: "Give someone a task about the record, with a due time.",
    idBase: "create-task",
    make: ({ object }) => ({ type: "create_task", subject: `Follow up on this ${object}`, due_in: { days: 1 }, priority: "P3" }),
  },
  create_record: {
    group: "Change records",
    label: "Create record",
    words: "Create another record, such as a task or a deal, linked to this one.",
    idBase: "create-record",
    make: ({ object }) => ({
      type: "create_record",
      object: "task",
      fields: { subject: `Follow up on this ${object}` },
      copy: {},
      ...(ENGAGEABLE.has(object) ? { link_field: "related_id" } : {}),
    }),
  },
  assign_owner: {
    group: "Change records",
    label: "Assign owner",
    words: "Choose who owns the record: a person, a team in turn, or the company's owner.",
    idBase: "assign-owner",
    make: ({ object }) => ({
      type: "assign_owner",
      field: personField(object),
      to: WITH_COMPANY.has(object) ? { company_owner: true } : { manager_of: personField(object) },
      exclude_current: false,
    }),
  },
  add_activity: {
    group: "Change records",
    label: "Add activity",
    words: "Write a note, call, email or meeting on the record's timeline.",
    idBase: "add-activity",
    make: () => ({ type: "add_activity", activity_type: "note", subject: "Noted by the workflow" }),
  },
  change_score: {
    group: "Change records",
    label: "Change score",
    words: "Add points to the score, or take them away.",
    idBase: "change-score",
    make: () => ({ type: "change_score", field: "score", by: 10 }),
  },
  merge_records: {
    group: "Change records",
    label: "Merge into",
    words: "Fold this record into its suspected duplicate (or a record you name); the other record stays, and the merge can be undone.",
    idBase: "merge",
    make: () => ({ type: "merge_records", into: { best_duplicate: true } }),
  },
  add_to_review_queue: {
    group: "Change records",
    label: "Add to review queue",
    words: "Ask a person to check the record's data: it joins Data quality → Review queue.",
    idBase: "review",
    make: ({ object }) => ({ type: "add_to_review_queue", reason: `Check this ${object}'s details` }),
  },
  notify: {
    group: "Tell people",
    label: "Notify someone",
    words: "Put a message in a person's Handoff inbox.",
    idBase: "notify",
    make: ({ object }) => ({ type: "notify", to: owner(object), message: `A ${object} needs your attention` }),
  },
  send_email: {
    group: "Tell people",
    label: "Send email",
    words: "Email the record's person or a colleague, from a template.",
    idBase: "send-email",
    make: ({ object }) => ({
      type: "send_email",
      connector: "email",
      to: PEOPLE.has(object) ? { record_email: true } : owner(object),
      subject: "Thanks for getting in touch",
      text: PEOPLE.has(object) ? "Hi {{ record.first_name }},\n\nthanks for getting in touch." : `About this ${object}.`,
      reply_to_owner: false,
    }),
  },
  send_chat: {
    group: "Tell people",
    label: "Send chat message",
    words: "Post a message to the team's chat channel.",
    idBase: "send-chat",
    make: ({ object }) => ({ type: "send_chat", connector: "chat", text: `A ${object} needs attention` }),
  },
  http_request: {
    group: "Reach other systems",
    label: "Call another system",
    words: "Send an HTTP request through a connector, and keep what it answers.",
    idBase: "http-request",
    make: () => ({ type: "http_request", connector: "http", method: "POST", path: "", only_if_empty: false }),
  },
  enroll: {
    group: "Other workflows",
    label: "Start another workflow",
    words: "Enroll the record in another workflow.",
    idBase: "enroll",
    make: ({ workflows }) => ({ type: "enroll", workflow: workflows?.[0] ?? "another-workflow" }),
  },
  unenroll: {
    group: "Other workflows",
    label: "Stop another workflow",
    words: "Take the record out of another workflow it is in.",
    idBase: "unenroll",
    make: ({ workflows }) => ({ type: "unenroll", workflow: workflows?.[0] ?? "another-workflow" }),
  },
};

const FLOW: { [K in FlowType]: Entry<Extract<StepSpec, { type: K }>> } = {
  classify: {
    group: "Decide",
    label: "Classify with AI",
    words: "Let an AI model trained on your records fill a field (a ticket's category); unsure ones go another way.",
    idBase: "classify",
    // The object's first model; without one, a name the panel and publishing say is missing.
    make: ({ object, end, aiModels }) => {
      const m = aiModels?.find((x) => x.object === object);
      return { type: "classify", model: m?.name ?? "AI model", field: m?.target ?? "category", low_confidence: end() };
    },
  },
  branch: {
    group: "Decide",
    label: "Branch (if / otherwise)",
    words: "Take one path when a condition holds, another otherwise.",
    idBase: "branch",
    make: ({ object, end }) => ({ type: "branch", rules: [{ when: ownerSet(object), next: end() }], else: end() }),
  },
  switch: {
    group: "Decide",
    label: "Switch by value",
    words: "Take a path for each value of a field.",
    idBase: "switch",
    make: ({ object, end }) => {
      const c = CHOICES[object];
      return c
        ? { type: "switch", field: c.field, cases: { [c.values[0]]: end() }, default: end() }
        : { type: "switch", field: "name", cases: {}, default: end() };
    },
  },
  delay: {
    group: "Wait",
    label: "Delay",
    words: "Wait for a while before going on.",
    idBase: "delay",
    make: () => ({ type: "delay", duration: { minutes: 15 } }),
  },
  wait_for: {
    group: "Wait",
    label: "Wait for something",
    words: "Wait until something happens (a call is logged), or give up after a time.",
    idBase: "wait-for",
    make: ({ object, end }) =>
      ENGAGEABLE.has(object)
        ? {
            type: "wait_for",
            event: { object: "activity", kind: "created", link: "related_id", where: { field: "type", op: "eq", value: "call" } },
            timeout: { days: 1 },
            on_timeout: end(),
          }
        : { type: "wait_for", condition: ownerSet(object), timeout: { days: 1 }, on_timeout: end() },
  },
  approval: {
    group: "Decide",
    label: "Approval",
    words: "Ask people to approve before going on: by threshold, level by level, with a time limit.",
    idBase: "approval",
    // The format's defaults written out (fields, lock, submitter, require, max_rounds), so that a saved step reads the same.
    make: ({ object }) => ({
      type: "approval",
      summary: `Approve ${object} ${titleTemplate(object)}`,
      fields: [],
      lock: "fields",
      submitter: owner(object),
      routes: [{ levels: [{ approvers: [{ manager_of: personField(object) }], require: "any" }] }],
      max_rounds: 5,
    }),
  },
  end: {
    group: "Stop",
    label: "End",
    words: "The run is complete here. Only where a path ends.",
    idBase: "end",
    make: () => ({ type: "end" }),
  },
};

function items(): PaletteItem[] {
  const out: PaletteItem[] = [];
  for (const [id, e] of Object.entries(ACTIONS) as [ActionType, Entry<ActionSpec>][])
    out.push({ ...e, id, make: (ctx) => ({ type: "action", action: e.make(ctx) }) });
  for (const [id, e] of Object.entries(FLOW) as [FlowType, Entry<StepSpec>][]) out.push({ ...e, id });
  return out.sort((a, b) => PALETTE_GROUPS.indexOf(a.group) - PALETTE_GROUPS.indexOf(b.group));
}

/** Every insertable item, in the palette's order (by group). */
export const PALETTE: readonly PaletteItem[] = items();

export function paletteItem(id: PaletteId): PaletteItem {
  const item = PALETTE.find((i) => i.id === id);
  if (!item) throw new Error(`no palette item ${id}`);
  return item;
}
