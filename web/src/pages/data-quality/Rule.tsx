/**
 * One validation rule or stage gate: `/data-quality/rules/new` creates one (admins; RoleGate, the
 * API refuses others) and returns to the list; `/data-quality/rules/$id` edits one for admins
 * (RuleForm: PATCH over the version read, a 412 offers to reload it; delete after a second
 * click) and shows it in words to everyone else.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams, useRouteContext } from "@tanstack/react-router";
import { useState } from "react";
import { RoleGate } from "../../components/RoleGate";
import { ErrorMessage, PageHeader, ui } from "../../components/ui";
import { type ObjectInfo, objectsQuery } from "../../records/model";
import { RuleForm } from "./RuleForm";
import { ACTION_WORDS, bodyOf, draftOf, emptyDraft, KIND_LABEL, patchOf } from "./rule-draft";
import { createRule, deleteRule, mayEditRules, ruleQuery, updateRule, type ValidationRule } from "./rules-data";
import { styles } from "./rules-styles";

export function NewRule() {
  return (
    <RoleGate roles={["admin"]} who="admins" title="New data rule">
      <NewRuleForm />
    </RoleGate>
  );
}

function NewRuleForm() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const objects = useQuery(objectsQuery);
  if (objects.error) return <ErrorMessage error={objects.error} what="the objects and their fields" />;
  return (
    <div className={styles.page}>
      <PageHeader title="New data rule">
        A stage gate guards a move (a deal to Proposal, a ticket to Closed); a rule says when any save is wrong. Both apply to every save:
        forms, imports, the API and workflows.
      </PageHeader>
      {objects.data ? (
        <RuleForm
          initial={emptyDraft()}
          rule={undefined}
          objects={objects.data}
          save={(d) => createRule(bodyOf(d))}
          submitLabel="Create rule"
          onSaved={async () => {
            await queryClient.invalidateQueries({ queryKey: ["data-quality", "rules"] });
            await navigate({ to: "/data-quality/rules" });
          }}
        />
      ) : (
        <p aria-live="polite">Loading the objects and their fields…</p>
      )}
    </div>
  );
}

export function RulePage() {
  const { id } = useParams({ from: "/app/data-quality/rules/$id" });
  const { session } = useRouteContext({ from: "/app" });
  const rule = useQuery(ruleQuery(id));
  const objects = useQuery(objectsQuery);
  const error = rule.error ?? objects.error;
  if (error) return <ErrorMessage error={error} what="this data rule" />;
  if (!rule.data || !objects.data) return <p aria-live="polite">Loading the rule…</p>;
  return mayEditRules(session.user.role) ? <EditRule rule={rule.data} objects={objects.data} /> : <ReadRule rule={rule.data} />;
}

function EditRule({ rule, objects }: { rule: ValidationRule; objects: readonly ObjectInfo[] }) {
  const queryClient = useQueryClient();
  // The version the form was opened at (or last saved or reloaded): saves go over it.
  const [base, setBase] = useState(rule);
  const [reloads, setReloads] = useState(0);
  return (
    <div className={styles.page}>
      <PageHeader title={`${KIND_LABEL[base.kind]}: ${base.name}`}>
        Version {base.version}. {base.summary}
      </PageHeader>
      <RuleForm
        key={`${base.id}:${reloads}`}
        initial={draftOf(base)}
        rule={base}
        objects={objects}
        save={(d) => updateRule(base.id, base.version, patchOf(d))}
        submitLabel="Save changes"
        onSaved={(saved) => {
          setBase(saved);
          queryClient.setQueryData(ruleQuery(saved.id).queryKey, saved);
          void queryClient.invalidateQueries({ queryKey: ["data-quality", "rules"], exact: true });
        }}
        onReload={async () => {
          const fresh = await queryClient.fetchQuery({ ...ruleQuery(base.id), staleTime: 0 });
          setBase(fresh);
          setReloads((n) => n + 1);
        }}
      />
      <section className={styles.card} aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete this rule</h2>
        <p className={styles.muted}>Saves are no longer checked against it. To stop it for a while, switch it off instead.</p>
        <div>
          <DeleteRule rule={base} />
        </div>
      </section>
    </div>
  );
}

function DeleteRule({ rule }: { rule: ValidationRule }) {
  const [sure, setSure] = useState(false);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const del = useMutation({
    mutationFn: () => deleteRule(rule.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["data-quality", "rules"] });
      await navigate({ to: "/data-quality/rules" });
    },
  });
  return (
    <div className={styles.row}>
      {sure ? (
        <>
          <button type="button" className={styles.dangerButton} disabled={del.isPending} onClick={() => del.mutate()}>
            Yes, delete “{rule.name}”
          </button>
          <button type="button" className={ui.secondary} onClick={() => setSure(false)}>
            Keep it
          </button>
        </>
      ) : (
        <button type="button" className={styles.dangerButton} onClick={() => setSure(true)}>
          Delete rule
        </button>
      )}
      {del.error ? (
        <span role="alert" className={styles.error}>
          Not deleted: {del.error.message}.
        </span>
      ) : null}
    </div>
  );
}

/** What a manager, rep or integration sees: the rule in words, no control to change it. */
function ReadRule({ rule }: { rule: ValidationRule }) {
  return (
    <div className={styles.page}>
      <PageHeader title={`${KIND_LABEL[rule.kind]}: ${rule.name}`}>{rule.description || "A check on every save."}</PageHeader>
      <section className={styles.card} aria-labelledby="facts-heading">
        <h2 id="facts-heading">This rule in words</h2>
        <dl className={styles.facts}>
          <dt>Checks</dt>
          <dd>{rule.summary}</dd>
          <dt>Message</dt>
          <dd>{rule.message}</dd>
          <dt>When broken</dt>
          <dd>{ACTION_WORDS[rule.action]}</dd>
          <dt>Switched on</dt>
          <dd>{rule.enabled ? "Yes" : "No: it checks nothing"}</dd>
        </dl>
        <p className={styles.muted}>Only admins change data rules.</p>
      </section>
      <p>
        <Link to="/data-quality/rules">Back to the data rules</Link>
      </p>
    </div>
  );
}
