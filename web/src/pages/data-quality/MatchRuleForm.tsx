/**
 * One match rule's form: `/data-quality/matching/new` creates one, `/data-quality/matching/$rule`
 * changes one over the version read (If-Match; a 412 says someone saved since). Admins only
 * (RoleGate; the API refuses others). Blocking keys as checkboxes, the fields scored each with a
 * weight and a similarity, the threshold and the action (merge: a second score above which the
 * pair is merged without asking). Nothing is checked here: the server names each problem's path
 * and the form shows it next to that field.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "@tanstack/react-router";
import { type ReactNode, useState } from "react";
import { ApiError, isStale } from "../../api/client";
import { RoleGate } from "../../components/RoleGate";
import { ErrorMessage, PageHeader, ui } from "../../components/ui";
import { objectsQuery } from "../../records/model";
import styles from "./DataQuality.module.css";
import { bodyOf, draftOf, type FieldRow, type MatchDraft, problemsOf } from "./match-draft";
import { ACTION_WORDS, KEY_WORDS, SIMILARITY_WORDS } from "./match-words";
import {
  createMatchRule,
  MATCH_ACTIONS,
  MATCH_KEYS,
  MATCH_OBJECTS,
  type MatchRule,
  matchRuleQuery,
  SIMILARITIES,
  updateMatchRule,
} from "./matching-data";

export function NewMatchRule() {
  return (
    <RoleGate roles={["admin"]} who="admins" title="New match rule">
      <RuleForm rule={undefined} />
    </RoleGate>
  );
}

export function EditMatchRule() {
  return (
    <RoleGate roles={["admin"]} who="admins" title="Match rule">
      <LoadedRule />
    </RoleGate>
  );
}

function LoadedRule() {
  const { rule } = useParams({ from: "/app/data-quality/matching/$rule" });
  const q = useQuery(matchRuleQuery(rule));
  if (q.error) return <ErrorMessage error={q.error} what={`the match rule “${rule}”`} />;
  if (!q.data) return <p aria-live="polite">Loading the match rule…</p>;
  return <RuleForm key={q.data.version} rule={q.data} />;
}

function Problem({ id, text }: { id: string; text: string | undefined }) {
  return text ? (
    <span id={id} className={ui.fieldError}>
      {text}
    </span>
  ) : null;
}

/** A label over its control (the control carries `id`), its problem below. */
function Labelled({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className={ui.field}>
      <label htmlFor={id} className={ui.label}>
        {label}
      </label>
      {children}
    </div>
  );
}

function RuleForm({ rule }: { rule: MatchRule | undefined }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const objects = useQuery(objectsQuery);
  const [d, setD] = useState<MatchDraft>(() => draftOf(rule));
  const set = (patch: Partial<MatchDraft>) => setD((prev) => ({ ...prev, ...patch }));
  const setRow = (i: number, patch: Partial<FieldRow>) => set({ fields: d.fields.map((f, k) => (k === i ? { ...f, ...patch } : f)) });
  const save = useMutation({
    mutationFn: () => (rule ? updateMatchRule(rule.id, rule.version, bodyOf(d)) : createMatchRule(bodyOf(d))),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["matchRules"] });
      await navigate({ to: "/data-quality/matching" });
    },
  });
  const errors =
    save.error instanceof ApiError ? ((save.error.problem as { errors?: { path: string; message: string }[] })?.errors ?? []) : [];
  const { byPath, other } = problemsOf(errors);
  const shown = new Set(["name", "description", "object", "compare_with", "keys", "fields", "threshold", "action", "merge_above"]);
  d.fields.forEach((_, i) => {
    for (const part of ["field", "weight", "similarity"]) shown.add(`fields[${i}].${part}`);
  });
  const unshown = [...byPath].filter(([p]) => !shown.has(p)).map(([p, m]) => `${p}: ${m}`);
  const def = objects.data?.find((o) => o.name === d.object);
  const choices = (def?.fields ?? []).filter((f) => !f.managed && ["string", "email", "phone", "url", "text", "enum"].includes(f.type));
  const objectLabel = (o: string) => objects.data?.find((x) => x.name === o)?.label ?? o;
  const title = rule ? `Match rule “${rule.name}”` : "New match rule";

  return (
    <div className={styles.page}>
      <p className={ui.hint}>
        <Link to="/data-quality/matching">← Matching</Link>
      </p>
      <PageHeader title={title}>
        Records that share one of the keys are compared; the fields are scored (weight × similarity, 0–100 %), and at the threshold the
        action happens.
      </PageHeader>
      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Labelled id="m-name" label="Name">
          <input
            className={ui.input}
            id="m-name"
            value={d.name}
            onChange={(e) => set({ name: e.target.value })}
            aria-invalid={byPath.has("name") || undefined}
          />
          <Problem id="p-name" text={byPath.get("name")} />
        </Labelled>
        <Labelled id="m-description" label="Description (optional)">
          <input className={ui.input} id="m-description" value={d.description} onChange={(e) => set({ description: e.target.value })} />
          <Problem id="p-description" text={byPath.get("description")} />
        </Labelled>
        <Labelled id="m-object" label="Checks">
          <select
            className={ui.input}
            id="m-object"
            value={d.object}
            onChange={(e) => {
              const object = e.target.value as MatchDraft["object"];
              set({ object, compareWith: d.compareWith.includes(object) ? d.compareWith : [object, ...d.compareWith] });
            }}
          >
            {MATCH_OBJECTS.map((o) => (
              <option key={o} value={o}>
                {objectLabel(o)}
              </option>
            ))}
          </select>
          <Problem id="p-object" text={byPath.get("object")} />
        </Labelled>
        <fieldset className={styles.fieldset}>
          <legend>Compared with</legend>
          {MATCH_OBJECTS.map((o) => (
            <label key={o} className={styles.check}>
              <input
                type="checkbox"
                checked={d.compareWith.includes(o)}
                onChange={(e) => set({ compareWith: e.target.checked ? [...d.compareWith, o] : d.compareWith.filter((x) => x !== o) })}
              />
              {objectLabel(o)}
            </label>
          ))}
          <Problem id="p-compare" text={byPath.get("compare_with")} />
        </fieldset>
        <fieldset className={styles.fieldset}>
          <legend>Blocking keys: only records sharing one of these are compared</legend>
          {MATCH_KEYS.map((k) => (
            <label key={k} className={styles.check}>
              <input
                type="checkbox"
                checked={d.keys.includes(k)}
                onChange={(e) => set({ keys: e.target.checked ? [...d.keys, k] : d.keys.filter((x) => x !== k) })}
              />
              {KEY_WORDS[k].label} <span className={styles.muted}>— {KEY_WORDS[k].hint}</span>
            </label>
          ))}
          <Problem id="p-keys" text={byPath.get("keys")} />
        </fieldset>
        <fieldset className={styles.fieldset}>
          <legend>Fields scored</legend>
          {d.fields.map((f, i) => {
            const p = (part: string) => byPath.get(`fields[${i}].${part}`);
            const name = choices.find((c) => c.name === f.field)?.label ?? (f.field || `field ${i + 1}`);
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
              <div key={i} className={styles.fieldRow}>
                <label>
                  Field
                  <select className={ui.input} value={f.field} onChange={(e) => setRow(i, { field: e.target.value })}>
                    <option value="">Choose…</option>
                    {choices.map((c) => (
                      <option key={c.name} value={c.name}>
                        {c.label}
                      </option>
                    ))}
                    {f.field && !choices.some((c) => c.name === f.field) ? <option value={f.field}>{f.field}</option> : null}
                  </select>
                  <Problem id={`p-f${i}`} text={p("field")} />
                </label>
                <label>
                  Weight
                  <input
                    className={`${ui.input} ${styles.narrow}`}
                    inputMode="decimal"
                    aria-label={`${name} weight`}
                    value={f.weight}
                    onChange={(e) => setRow(i, { weight: e.target.value })}
                    aria-invalid={p("weight") ? true : undefined}
                  />
                  <Problem id={`p-w${i}`} text={p("weight")} />
                </label>
                <label>
                  Similarity
                  <select
                    className={ui.input}
                    aria-label={`${name} similarity`}
                    value={f.similarity}
                    onChange={(e) => setRow(i, { similarity: e.target.value as FieldRow["similarity"] })}
                  >
                    {SIMILARITIES.map((s) => (
                      <option key={s} value={s}>
                        {SIMILARITY_WORDS[s]}
                      </option>
                    ))}
                  </select>
                  <Problem id={`p-s${i}`} text={p("similarity")} />
                </label>
                <button
                  type="button"
                  className={ui.secondary}
                  aria-label={`Remove ${name}`}
                  onClick={() => set({ fields: d.fields.filter((_, k) => k !== i) })}
                >
                  Remove
                </button>
              </div>
            );
          })}
          <div>
            <button
              type="button"
              className={ui.secondary}
              onClick={() => set({ fields: [...d.fields, { field: "", weight: "1", similarity: "exact" }] })}
            >
              Add a field
            </button>
          </div>
          <Problem id="p-fields" text={byPath.get("fields")} />
        </fieldset>
        <Labelled id="m-threshold" label="Threshold (%): a pair scoring at least this is a duplicate">
          <input
            className={`${ui.input} ${styles.narrow}`}
            inputMode="decimal"
            id="m-threshold"
            value={d.threshold}
            onChange={(e) => set({ threshold: e.target.value })}
            aria-invalid={byPath.has("threshold") || undefined}
          />
          <Problem id="p-threshold" text={byPath.get("threshold")} />
        </Labelled>
        <fieldset className={styles.fieldset}>
          <legend>At the threshold</legend>
          {MATCH_ACTIONS.map((a) => (
            <label key={a} className={styles.check}>
              <input type="radio" name="action" checked={d.action === a} onChange={() => set({ action: a })} />
              {ACTION_WORDS[a].label} <span className={styles.muted}>— {ACTION_WORDS[a].hint}</span>
            </label>
          ))}
          <Problem id="p-action" text={byPath.get("action")} />
          {d.action === "merge" ? (
            <Labelled id="m-merge-above" label="Merge automatically above (%)">
              <input
                className={`${ui.input} ${styles.narrow}`}
                inputMode="decimal"
                id="m-merge-above"
                value={d.mergeAbove}
                onChange={(e) => set({ mergeAbove: e.target.value })}
                aria-invalid={byPath.has("merge_above") || undefined}
              />
            </Labelled>
          ) : null}
          <Problem id="p-merge-above" text={byPath.get("merge_above")} />
        </fieldset>
        <label className={styles.check}>
          <input type="checkbox" checked={d.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          Switched on
        </label>
        {save.error ? (
          <div role="alert" className={ui.alert}>
            <strong>Not saved.</strong>{" "}
            {isStale(save.error)
              ? "Someone else changed this rule meanwhile: reload the page to see their version."
              : byPath.size > 0
                ? "Fix what is marked in red above, then save again."
                : save.error.message}
            {[...other, ...unshown].length > 0 ? (
              <ul>
                {[...other, ...unshown].map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        <div className={styles.rowActions}>
          <button type="submit" className={ui.button} disabled={save.isPending}>
            {save.isPending ? "Saving…" : rule ? "Save rule" : "Create rule"}
          </button>
          <Link to="/data-quality/matching" className={ui.secondary}>
            Cancel
          </Link>
        </div>
      </form>
    </div>
  );
}
