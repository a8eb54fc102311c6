/**
 * What the New workflow form makes: a key derived from the name (the format's rule: a lower-case
 * letter, then lower-case letters, digits and -, 2 to 63 characters), the trigger kinds it offers
 * in words, and the first draft — the trigger and a single end step ("done"), so that the canvas
 * has an edge to insert the first step on. Pure.
 */
import type { WorkflowDefinition } from "../../components/graph/definition.js";

export const KEY_PATTERN = /^[a-z][a-z0-9-]{1,62}$/;
export const KEY_RULE = "lower-case letters, digits and -, starting with a letter (2 to 63 characters)";

/** "Speed to lead (EMEA)" → "speed-to-lead-emea"; "2025 renewals" → "wf-2025-renewals". */
export function keyFromName(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const key = /^[a-z]/.test(slug) ? slug : slug ? `wf-${slug}` : "";
  return key.slice(0, 63).replace(/-+$/, "");
}

/** Why a key does not fit the format, or undefined when it does. */
export function keyProblem(key: string): string | undefined {
  if (key === "") return "Give the workflow a key.";
  if (KEY_PATTERN.test(key)) return undefined;
  return `A key is ${KEY_RULE}.`;
}

/** The triggers a new workflow can start from without settings; the rest are set in the builder. */
export const NEW_TRIGGERS = ["record_created", "record_updated", "record_deleted", "manual"] as const;
export type NewTrigger = (typeof NEW_TRIGGERS)[number];

export function newTriggerWords(kind: NewTrigger, object: string): string {
  switch (kind) {
    case "record_created":
      return `When a ${object} is created`;
    case "record_updated":
      return `When a ${object} is changed`;
    case "record_deleted":
      return `When a ${object} is deleted`;
    case "manual":
      return `When someone runs it on a ${object} (Run workflow)`;
  }
}

/** The first draft, its keys in the order the recipes use. */
export function firstDraft(input: { key: string; name: string; description: string; object: string; trigger: NewTrigger }) {
  const description = input.description.trim();
  return {
    key: input.key,
    name: input.name.trim(),
    ...(description ? { description } : {}),
    object: input.object,
    trigger: { type: input.trigger },
    start: "done",
    steps: { done: { type: "end" } },
  } as unknown as WorkflowDefinition;
}
