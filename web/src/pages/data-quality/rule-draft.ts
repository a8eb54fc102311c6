/**
 * A validation rule or stage gate as its form edits it, and back to the API's shapes: the create
 * body (kind and object fixed from then on) and the PATCH of an existing one (no kind, no
 * object). What is valid is the server's call — the form sends what was typed, and shows each
 * problem by the control its path names.
 */
import type { Condition } from "../../components/graph/definition";
import { isObjectName } from "../sla/draft";
import type { RuleBody, RuleObject, RulePatch, ValidationRule } from "./rules-data";

export type Value = string | number | boolean;

export interface RuleDraft {
  kind: "rule" | "gate";
  name: string;
  description: string;
  object: RuleObject;
  action: "refuse" | "warn";
  enabled: boolean;
  message: string;
  /** A rule: the field the message is shown on. A gate: the field that moves. */
  field: string;
  /** A rule: when the write is invalid. */
  when: Condition | undefined;
  /** A gate: the values it guards. */
  to: Value[];
  /** A gate: what must hold for the move. */
  requires: Condition | undefined;
  /** A gate: the field the message is shown on ("" = the field that moves). */
  shownOn: string;
}

export const emptyDraft = (): RuleDraft => ({
  kind: "gate",
  name: "",
  description: "",
  object: "deal",
  action: "refuse",
  enabled: true,
  message: "",
  field: "",
  when: undefined,
  to: [],
  requires: undefined,
  shownOn: "",
});

export function draftOf(r: ValidationRule): RuleDraft {
  const base = {
    ...emptyDraft(),
    name: r.name,
    description: r.description,
    object: isObjectName(r.object) ? r.object : "deal",
    action: r.action,
    enabled: r.enabled,
    message: r.message,
    field: r.field,
  };
  if (r.kind === "rule") return { ...base, kind: "rule", when: r.when as Condition | undefined };
  return { ...base, kind: "gate", to: [...r.to], requires: r.requires as Condition | undefined, shownOn: r.shown_on ?? "" };
}

const common = (d: RuleDraft) => ({
  name: d.name.trim(),
  description: d.description,
  action: d.action,
  enabled: d.enabled,
  message: d.message,
  field: d.field,
});

export function bodyOf(d: RuleDraft): RuleBody {
  if (d.kind === "rule") return { ...common(d), object: d.object, kind: "rule", ...(d.when ? { when: d.when } : {}) };
  return {
    ...common(d),
    object: d.object,
    kind: "gate",
    to: d.to,
    ...(d.requires ? { requires: d.requires } : {}),
    ...(d.shownOn ? { shown_on: d.shownOn } : {}),
  };
}

export function patchOf(d: RuleDraft): RulePatch {
  if (d.kind === "rule") return { ...common(d), ...(d.when ? { when: d.when } : {}) };
  return { ...common(d), to: d.to, ...(d.requires ? { requires: d.requires } : {}), shown_on: d.shownOn || null };
}

export const ACTION_WORDS = {
  refuse: "Refuse the save",
  warn: "Save, and queue for review",
} as const;

export const KIND_LABEL = { rule: "Rule", gate: "Stage gate" } as const;
