/**
 * The queue editor's form as the person fills it in (pure): numbers are kept as the text typed,
 * so that a refused save gives back exactly what was there; `bodyOf` turns it into what the API
 * takes, and the server judges it (a weight of 0, an unknown field, a fallback cycle come back
 * as problems by path).
 */
// Type-only imports with their .js names: this module is pure and the unit tests compile it under Node's resolution.
import type { paths } from "../../api/schema.js";
import type { Condition } from "../../components/graph/definition.js";

/** A queue as the API answers it (GET /routing/queues/{queue}). */
export type QueueView = paths["/api/v1/routing/queues/{queue}"]["get"]["responses"][200]["content"]["application/json"];
/** What POST /routing/queues takes (PATCH takes the same fields). */
export type QueueBody = NonNullable<paths["/api/v1/routing/queues"]["post"]["requestBody"]>["content"]["application/json"];
type Strategy = QueueView["strategy"];

export interface MemberDraft {
  /** Stable across edits, for React's key (two rows may hold no person yet). */
  key: string;
  user_id: string;
  weight: string;
  /** Empty: the member's own capacity (the user's `capacity` field) applies. */
  capacity: string;
}

export type FallbackKind = "hold" | "queue" | "user" | "none";

export interface QueueDraft {
  name: string;
  description: string;
  strategy: Strategy;
  members: MemberDraft[];
  respect_availability: boolean;
  respect_capacity: boolean;
  /** null: open work is not counted (no load). */
  load: { object: string; owner_field: string; where: Condition | undefined } | null;
  fallback: { kind: FallbackKind; queue: string; user_id: string };
}

let nextKey = 0;
export const memberKey = () => `m${++nextKey}`;

export const newMember = (): MemberDraft => ({ key: memberKey(), user_id: "", weight: "1", capacity: "" });

export function emptyDraft(): QueueDraft {
  return {
    name: "",
    description: "",
    strategy: "round_robin",
    members: [newMember()],
    respect_availability: true,
    respect_capacity: false,
    load: null,
    fallback: { kind: "hold", queue: "", user_id: "" },
  };
}

const isCondition = (c: unknown): c is Condition => typeof c === "object" && c !== null && !Array.isArray(c);

export function draftOf(q: QueueView): QueueDraft {
  const f = q.fallback;
  return {
    name: q.name,
    description: q.description,
    strategy: q.strategy,
    members: q.members.map((m) => ({
      key: memberKey(),
      user_id: m.user_id,
      weight: String(m.weight),
      capacity: m.capacity === null ? "" : String(m.capacity),
    })),
    respect_availability: q.respect_availability,
    respect_capacity: q.respect_capacity,
    load: q.load
      ? { object: q.load.object, owner_field: q.load.owner_field, where: isCondition(q.load.where) ? q.load.where : undefined }
      : null,
    fallback: {
      kind: f === null ? "none" : "hold" in f ? "hold" : "queue" in f ? "queue" : "user",
      queue: f && "queue" in f ? f.queue : "",
      user_id: f && "user_id" in f ? f.user_id : "",
    },
  };
}

/**
 * A number typed into a field: a whole number as a number; anything else (empty, "2.5e", "abc")
 * as null, which the server refuses at that field's path, so the person sees why by the field.
 */
function typedNumber(text: string): number {
  const t = text.trim();
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : (null as unknown as number);
}

export function bodyOf(d: QueueDraft): QueueBody {
  const f = d.fallback;
  return {
    name: d.name,
    description: d.description,
    strategy: d.strategy,
    respect_availability: d.respect_availability,
    respect_capacity: d.respect_capacity,
    load: d.load
      ? { object: d.load.object as never, owner_field: d.load.owner_field, ...(d.load.where ? { where: d.load.where } : {}) }
      : null,
    fallback:
      f.kind === "none" ? null : f.kind === "hold" ? { hold: true } : f.kind === "queue" ? { queue: f.queue } : { user_id: f.user_id },
    members: d.members.map((m) => ({
      user_id: m.user_id,
      weight: typedNumber(m.weight),
      ...(m.capacity.trim() === "" ? {} : { capacity: typedNumber(m.capacity) }),
    })),
  };
}

/**
 * The server's path of a problem in the form the builder's condition editor names its controls
 * ("load.where.and[0].field" → "load.where.and.0.field").
 */
export const dottedPath = (path: string) => path.replace(/\[(\d+)\]/g, ".$1");

const FIELD_WORDS: Record<string, string> = {
  user_id: "person",
  weight: "weight",
  capacity: "cap",
  owner_field: "owned through",
  object: "object",
};

/** A problem's path as the form's words: "members[0].weight" → "Member 1, weight"; "fallback.queue" → "When nobody is free". */
export function pathWords(path: string): string {
  const member = /^members\[(\d+)\](?:\.(\w+))?/.exec(path);
  if (member) return `Member ${Number(member[1]) + 1}${member[2] ? `, ${FIELD_WORDS[member[2]] ?? member[2]}` : ""}`;
  if (path.startsWith("members")) return "Members";
  if (path.startsWith("fallback")) return "When nobody is free";
  if (path.startsWith("load.where")) return "Which items count as open";
  if (path.startsWith("load")) return "Open work";
  if (path === "name") return "Name";
  if (path === "description") return "Description";
  if (path === "strategy") return "Strategy";
  return path;
}
