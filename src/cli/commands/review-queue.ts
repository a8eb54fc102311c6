/**
 * `handoff review-queue …` (issue 20; docs/data-quality.md "The review queue"): the data review
 * queue from the command line — list with filters, show, add a record, take / assign, resolve and
 * dismiss with a note. Like `approvals`, it acts as the person whose token is in HANDOFF_TOKEN,
 * over the API of a running Handoff (../api-client.ts): who resolved or dismissed is kept.
 */
import type { ReviewItemView, ReviewPage } from "../../app/review-queue/review-queue.js";
import { type PersonCommand, runPersonCommand } from "../api-client.js";
import { UsageError } from "../args.js";

const options = {
  url: { type: "string" },
  json: { type: "boolean", default: false },
  status: { type: "string" },
  kind: { type: "string" },
  object: { type: "string" },
  assignee: { type: "string" },
  record: { type: "string" },
  limit: { type: "string" },
  cursor: { type: "string" },
  reason: { type: "string" },
  note: { type: "string" },
} as const;

const records = (i: ReviewItemView) =>
  `${i.object} ${i.record.name} (${i.record.id})${i.other_record ? ` ↔ ${i.other_record.name} (${i.other_record.id})` : ""}`;

/** `01J…	open	duplicate	lead Ada Lovelace (01J…) ↔ Ada Lovelace (01J…)	Same email …	Ann` */
export function reviewItemLine(i: ReviewItemView): string {
  return [i.id, i.status, i.kind, records(i), i.reason, i.assignee?.name ?? "unassigned"].join("\t");
}

const label = (name: string, value: string) => `${name.padEnd(12)}${value}`;

export function reviewItemLines(i: ReviewItemView): string[] {
  return [
    label("item", i.id),
    label("kind", i.kind),
    label("status", i.resolution && i.resolution !== i.status ? `${i.status} (${i.resolution})` : i.status),
    label("record", records(i)),
    label("reason", i.reason),
    label("assignee", i.assignee?.name ?? "unassigned"),
    label("queued", `${i.created_at} by ${i.created_by}`),
    ...(i.resolved_at ? [label("closed", `${i.resolved_at} by ${i.resolved_by ?? "?"}${i.note ? `: ${i.note}` : ""}`)] : []),
    ...(i.detail && typeof i.detail === "object" && Object.keys(i.detail).length > 0 ? [label("detail", JSON.stringify(i.detail))] : []),
  ];
}

const path = (id: string, rest = "") => `/api/v1/review-queue/${encodeURIComponent(id)}${rest}`;
const print = (json: boolean, item: ReviewItemView, sentence: string) => console.log(json ? JSON.stringify(item, null, 2) : sentence);
const noteOf = (note: string | undefined) => (note !== undefined ? { note } : {});

const commands: Record<string, PersonCommand<typeof options>> = {
  list: {
    args: [],
    flags: ["status", "kind", "object", "assignee", "record", "limit", "cursor", "json"],
    run: async (api, _, v) => {
      const q = new URLSearchParams();
      for (const k of ["status", "kind", "object", "assignee", "limit", "cursor"] as const) if (v[k] !== undefined) q.set(k, v[k]);
      if (v.record !== undefined) q.set("record_id", v.record);
      const page = await api<ReviewPage>(`/api/v1/review-queue${q.size > 0 ? `?${q}` : ""}`);
      if (v.json) return console.log(JSON.stringify(page, null, 2));
      const open = Object.entries(page.open_counts).map(([k, n]) => `${n} ${k}`);
      console.log(`open: ${open.length > 0 ? open.join(", ") : "nothing"}`);
      if (page.data.length === 0) console.log("no items match");
      for (const i of page.data) console.log(reviewItemLine(i));
      if (page.next_cursor) console.log(`… more: --cursor ${page.next_cursor}`);
    },
  },
  show: {
    args: ["ID"],
    flags: ["json"],
    run: async (api, [id], v) => {
      const item = await api<ReviewItemView>(path(id as string));
      console.log(v.json ? JSON.stringify(item, null, 2) : reviewItemLines(item).join("\n"));
    },
  },
  add: {
    args: ["RECORD_ID"],
    flags: ["reason", "json"],
    check: (v) => {
      if (!v.reason) throw new UsageError("review-queue add needs --reason TEXT: why the record needs a look");
    },
    run: async (api, [recordId], v) => {
      const item = await api<ReviewItemView>("/api/v1/review-queue", { record_id: recordId, reason: v.reason });
      print(v.json, item, `queued ${records(item)} as item ${item.id}: ${item.reason}`);
    },
  },
  take: {
    args: ["ID"],
    flags: ["json"],
    run: async (api, [id], v) => {
      const me = await api<{ actor: { kind: string; id: string } }>("/api/v1/me");
      if (me.actor.kind !== "person") throw new UsageError("review-queue take needs a token made for a user (yours)");
      const item = await api<ReviewItemView>(path(id as string), { assignee_id: me.actor.id }, "PATCH");
      print(v.json, item, `item ${item.id} is yours: ${item.reason}`);
    },
  },
  assign: {
    args: ["ID", "USER_ID|none"],
    flags: ["json"],
    run: async (api, [id, user], v) => {
      const item = await api<ReviewItemView>(path(id as string), { assignee_id: user === "none" ? null : user }, "PATCH");
      print(v.json, item, `item ${item.id} ${item.assignee ? `assigned to ${item.assignee.name}` : "unassigned"}`);
    },
  },
  resolve: {
    args: ["ID"],
    flags: ["note", "json"],
    run: async (api, [id], v) => {
      const item = await api<ReviewItemView>(path(id as string, "/resolve"), noteOf(v.note));
      print(v.json, item, `resolved item ${item.id} (${records(item)})`);
    },
  },
  dismiss: {
    args: ["ID"],
    flags: ["note", "json"],
    run: async (api, [id], v) => {
      const item = await api<ReviewItemView>(path(id as string, "/dismiss"), noteOf(v.note));
      const never = item.kind === "duplicate" ? "; this pair will not be suggested again" : "";
      print(v.json, item, `dismissed item ${item.id} (${records(item)})${never}`);
    },
  },
};

export function reviewQueueCommand(argv: string[]) {
  return runPersonCommand("review-queue", options, commands, "list", argv);
}
