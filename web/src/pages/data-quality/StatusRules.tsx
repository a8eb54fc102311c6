/**
 * The Data rules page's "Status rules" section (issue 22; docs/data-quality.md "Status rules"):
 * when a record's status contradicts its data — "a qualified lead has an owner". They refuse no
 * save: the KPI page's status accuracy counts the records that break one. Every role reads the
 * list; admins add, edit (over the version listed), switch off and delete, in a form here whose
 * problems are shown next to the setting their path names.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { ApiError, isStale } from "../../api/client";
import type { Condition } from "../../components/graph/definition";
import { ErrorMessage, ui } from "../../components/ui";
import { type ObjectInfo, objectsQuery } from "../../records/model";
import { ConditionEditor } from "../builder/panels/conditions/ConditionEditor";
import { FieldSelect } from "../builder/panels/inputs/FieldSelect";
import { fieldsOf } from "../builder/panels/kit";
import { PanelField } from "../builder/panels/PanelField";
import { ConditionKit } from "../routing/ConditionKit";
import { dottedProblems } from "../routing/rule-edit";
import { isObjectName, OBJECT_NAMES } from "../sla/draft";
import { ValuesPicker } from "../sla/parts";
import type { Value } from "./rule-draft";
import type { RuleObject } from "./rules-data";
import { styles } from "./rules-styles";
import { createStatusRule, deleteStatusRule, type StatusRule, statusRulesQuery, updateStatusRule } from "./status-rules-data";

interface Draft {
  name: string;
  description: string;
  object: RuleObject;
  enabled: boolean;
  field: string;
  values: Value[];
  requires: Condition | undefined;
}

const emptyDraft = (): Draft => ({ name: "", description: "", object: "lead", enabled: true, field: "", values: [], requires: undefined });
const draftOf = (r: StatusRule): Draft => ({
  name: r.name,
  description: r.description,
  object: isObjectName(r.object) ? r.object : "lead",
  enabled: r.enabled,
  field: r.field,
  values: [...r.values],
  requires: r.requires as Condition | undefined,
});

export function StatusRules({ admin }: { admin: boolean }) {
  const rules = useQuery(statusRulesQuery);
  const objects = useQuery(objectsQuery);
  const label = (object: string) => objects.data?.find((o) => o.name === object)?.label ?? object;
  // The rule being edited ("new" for a new one), shown in the form below the list.
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const rule = rules.data?.find((r) => r.id === editing);
  return (
    <section className={styles.card} aria-labelledby="status-rules-heading">
      <h2 id="status-rules-heading">Status rules</h2>
      <p className={styles.muted}>
        When a record's status contradicts its data — a qualified lead nobody owns, a won deal without an amount. They refuse no save:{" "}
        <Link to="/kpis">status accuracy</Link> on the KPI page counts the records that break one and lists them.
      </p>
      {rules.error ? <ErrorMessage error={rules.error} what="the status rules" /> : null}
      {rules.isPending ? <p aria-live="polite">Loading the status rules…</p> : null}
      {rules.data?.length === 0 ? <p>No status rules yet{admin ? "" : "; an admin of your workspace adds them"}.</p> : null}
      {rules.data && rules.data.length > 0 ? (
        <table className={ui.table} aria-label="Status rules">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Records</th>
              <th scope="col">Checks</th>
              <th scope="col">Switched on</th>
              <th scope="col">Why it exists</th>
              {admin ? <th scope="col">Change</th> : null}
            </tr>
          </thead>
          <tbody>
            {rules.data.map((r) => (
              <tr key={r.id}>
                <td>{r.name}</td>
                <td>{label(r.object)}</td>
                <td>{r.summary}</td>
                <td>{r.enabled ? "On" : "Off"}</td>
                <td>{r.description || <span className={styles.muted}>not said</span>}</td>
                {admin ? (
                  <td>
                    <button type="button" className={ui.secondary} aria-label={`Edit ${r.name}`} onClick={() => setEditing(r.id)}>
                      Edit
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {admin && editing === undefined ? (
        <div>
          <button type="button" className={ui.button} onClick={() => setEditing("new")}>
            New status rule
          </button>
        </div>
      ) : null}
      {admin && objects.data && (editing === "new" || rule) ? (
        <StatusRuleForm
          key={rule ? `${rule.id}@${rule.version}` : "new"}
          rule={rule}
          objects={objects.data}
          onDone={() => setEditing(undefined)}
        />
      ) : null}
    </section>
  );
}

function StatusRuleForm({ rule, objects, onDone }: { rule: StatusRule | undefined; objects: readonly ObjectInfo[]; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => (rule ? draftOf(rule) : emptyDraft()));
  const update = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["data-quality", "status-rules"] });
  const body = () => ({
    name: draft.name,
    description: draft.description,
    enabled: draft.enabled,
    field: draft.field,
    values: draft.values,
    // An empty condition is sent as it is: the server names the path.
    requires: draft.requires ?? null,
  });
  const save = useMutation({
    mutationFn: () => (rule ? updateStatusRule(rule.id, rule.version, body()) : createStatusRule({ ...body(), object: draft.object })),
    onSuccess: async () => {
      await refresh();
      onDone();
    },
  });
  const remove = useMutation({
    mutationFn: () => deleteStatusRule(rule?.id ?? ""),
    onSuccess: async () => {
      await refresh();
      onDone();
    },
  });
  const problems = dottedProblems(save.error);
  const status = fieldsOf({ objects }, draft.object).find((f) => f.name === draft.field);
  const error = save.error ?? remove.error;
  return (
    <ConditionKit objects={objects} problems={problems} editable>
      <form
        className={styles.card}
        noValidate
        aria-label={rule ? `Edit ${rule.name}` : "New status rule"}
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <h3>{rule ? `Edit ${rule.name}` : "New status rule"}</h3>
        {error ? (
          <div role="alert" className={ui.alert}>
            <strong>
              {isStale(error)
                ? "Not saved: someone else saved this rule since you opened it; the list is read again — open it again."
                : `Not saved: ${error instanceof ApiError ? (error.problem?.detail ?? error.message) : error.message}.`}
            </strong>
            {problems.length > 0 ? " Each problem is shown by its setting below; what you typed is kept." : null}
          </div>
        ) : null}
        <PanelField path="name" label="Name">
          {(c) => (
            <input {...c} className={styles.input} value={draft.name} maxLength={120} onChange={(e) => update({ name: e.target.value })} />
          )}
        </PanelField>
        <PanelField path="description" label="Why this rule exists">
          {(c) => (
            <textarea {...c} className={styles.prose} value={draft.description} onChange={(e) => update({ description: e.target.value })} />
          )}
        </PanelField>
        <PanelField path="object" label="Records of" hint={rule ? "Fixed once the rule exists." : "Fixed once the rule is created."}>
          {(c) => (
            <select
              {...c}
              disabled={rule !== undefined}
              className={styles.select}
              value={draft.object}
              onChange={(e) => {
                const next = e.target.value;
                if (isObjectName(next)) setDraft((d) => ({ ...d, object: next, field: "", values: [], requires: undefined }));
              }}
            >
              {OBJECT_NAMES.filter((n) => objects.some((o) => o.name === n)).map((n) => (
                <option key={n} value={n}>
                  {objects.find((o) => o.name === n)?.label ?? n}
                </option>
              ))}
            </select>
          )}
        </PanelField>
        <PanelField path="field" label="Status field">
          {(c) => (
            <FieldSelect
              control={c}
              object={draft.object}
              value={draft.field || undefined}
              only={(f) => !f.managed && (f.type === "enum" || f.type === "boolean")}
              onChange={(field) => update({ field, values: [] })}
            />
          )}
        </PanelField>
        <ValuesPicker
          path="values"
          legend="While the status is"
          field={status}
          values={draft.values}
          onChange={(values) => update({ values })}
        />
        <ConditionEditor
          path="requires"
          object={draft.object}
          legend="The record must have…"
          empty="Nothing yet: add what its data must say, such as “Owner is set” or “Amount is greater than 0”."
          changes={false}
          value={draft.requires}
          onChange={(c: Condition | undefined) => update({ requires: c })}
        />
        <label className={styles.check}>
          <input type="checkbox" checked={draft.enabled} onChange={(e) => update({ enabled: e.target.checked })} />
          Switched on
        </label>
        <div className={styles.row}>
          <button type="submit" className={ui.button} disabled={save.isPending}>
            {save.isPending ? "Saving…" : rule ? "Save status rule" : "Create status rule"}
          </button>
          <button type="button" className={ui.secondary} onClick={onDone}>
            Cancel
          </button>
          {rule ? (
            <button type="button" className={ui.secondary} disabled={remove.isPending} onClick={() => remove.mutate()}>
              Delete
            </button>
          ) : null}
        </div>
      </form>
    </ConditionKit>
  );
}
