/**
 * One SLA policy: `/sla/policies/new` creates one (admins; RoleGate, the API refuses others) and
 * returns to the list; `/sla/policies/$name` edits one for admins (PolicyForm: PATCH over the
 * version read, a 412 offers to reload it; delete with confirmation, DeletePolicy) and shows it in
 * words to everyone else.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams, useRouteContext } from "@tanstack/react-router";
import { useState } from "react";
import { RoleGate } from "../../components/RoleGate";
import { ErrorMessage, PageHeader } from "../../components/ui";
import { type ObjectInfo, objectsQuery } from "../../records/model";
import { DeletePolicy } from "./DeletePolicy";
import { createPolicy, mayEditSla, policyQuery, updatePolicy } from "./data";
import { bodyOf, draftOf, emptyDraft, type Policy, patchOf } from "./draft";
import { PolicyForm } from "./PolicyForm";
import styles from "./Sla.module.css";
import { calendarWords, conditionText, escalationWords, policySummary, startWords, stopWords, targetWords, warningWords } from "./words";

export function NewPolicy() {
  return (
    <RoleGate roles={["admin"]} who="admins" title="New SLA policy">
      <NewPolicyForm />
    </RoleGate>
  );
}

function NewPolicyForm() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const objects = useQuery(objectsQuery);
  if (objects.error) return <ErrorMessage error={objects.error} what="the objects and their fields" />;
  return (
    <div className={styles.page}>
      <PageHeader title="New SLA policy">
        Answer each question below; the paragraph at the top says what the policy will do. Warnings, breaches and escalations are acted on
        by workflows that trigger on the policy.
      </PageHeader>
      {objects.data ? (
        <PolicyForm
          initial={emptyDraft()}
          policy={undefined}
          objects={objects.data}
          save={(d) => createPolicy(bodyOf(d))}
          submitLabel="Create policy"
          onSaved={async () => {
            await queryClient.invalidateQueries({ queryKey: ["sla", "policies"] });
            await navigate({ to: "/sla/policies" });
          }}
        />
      ) : (
        <p aria-live="polite">Loading the objects and their fields…</p>
      )}
    </div>
  );
}

export function PolicyPage() {
  const { name } = useParams({ from: "/app/sla/policies/$name" });
  const { session } = useRouteContext({ from: "/app" });
  const policy = useQuery(policyQuery(name));
  const objects = useQuery(objectsQuery);
  const error = policy.error ?? objects.error;
  if (error) return <ErrorMessage error={error} what="this SLA policy" />;
  if (!policy.data || !objects.data) return <p aria-live="polite">Loading the policy…</p>;
  return mayEditSla(session.user.role) ? (
    <EditPolicy policy={policy.data} name={name} objects={objects.data} />
  ) : (
    <ReadPolicy policy={policy.data} plural={objects.data.find((o) => o.name === policy.data.object)?.plural ?? policy.data.object} />
  );
}

function EditPolicy({ policy, name, objects }: { policy: Policy; name: string; objects: readonly ObjectInfo[] }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  // The version the form was opened at (or last saved or reloaded): saves go over it, so a newer
  // version read in the background meanwhile is never overwritten — that is the server's 412.
  const [base, setBase] = useState(policy);
  const [reloads, setReloads] = useState(0);
  return (
    <div className={styles.page}>
      <PageHeader title={`SLA policy: ${base.name}`}>
        Version {base.version}. {policy.open_clocks === 1 ? "1 clock is" : `${policy.open_clocks} clocks are`} open on it now.
      </PageHeader>
      <PolicyForm
        key={`${base.id}:${reloads}`}
        initial={draftOf(base)}
        policy={base}
        objects={objects}
        save={(d) => updatePolicy(base.id, base.version, patchOf(d))}
        submitLabel="Save changes"
        onSaved={async (saved) => {
          setBase(saved);
          queryClient.setQueryData(policyQuery(saved.name).queryKey, saved);
          void queryClient.invalidateQueries({ queryKey: ["sla", "policies"], exact: true });
          if (saved.name !== name) await navigate({ to: "/sla/policies/$name", params: { name: saved.name }, replace: true });
        }}
        onReload={async () => {
          const fresh = await queryClient.fetchQuery({ ...policyQuery(base.id), staleTime: 0 });
          queryClient.setQueryData(policyQuery(name).queryKey, fresh);
          setBase(fresh);
          setReloads((n) => n + 1);
        }}
      />
      <section className={styles.card} aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete this policy</h2>
        <p className={styles.muted}>
          A policy with open clocks cannot be deleted: switch it off, and delete it once its clocks have stopped. Deleting removes its
          stopped clocks and their history too; switch it off instead to keep them.
        </p>
        <div>
          <DeletePolicy id={base.id} name={base.name} />
        </div>
      </section>
    </div>
  );
}

/** What a manager, rep or integration sees: the policy in words, no control to change it. */
function ReadPolicy({ policy, plural }: { policy: Policy; plural: string }) {
  const d = draftOf(policy);
  const label = plural.charAt(0).toUpperCase() + plural.slice(1);
  return (
    <div className={styles.page}>
      <PageHeader title={`SLA policy: ${policy.name}`}>{policy.description || "How fast these records must be handled."}</PageHeader>
      <section className={styles.summary} aria-labelledby="summary-heading">
        <h2 id="summary-heading">This policy in words</h2>
        <p data-testid="policy-summary">{policySummary(d, label)}</p>
      </section>
      <section className={styles.card} aria-labelledby="facts-heading">
        <h2 id="facts-heading">Settings</h2>
        <dl className={styles.facts}>
          <dt>Records</dt>
          <dd>{d.appliesWhen ? `${label} where ${conditionText(d.appliesWhen)}` : `Every ${policy.object}`}</dd>
          <dt>Clock starts</dt>
          <dd>{startWords(d.starts)}</dd>
          <dt>Clock stops</dt>
          <dd>{stopWords(d.stops)}</dd>
          <dt>Target</dt>
          <dd>{targetWords(policy.target, policy.targets_by)}</dd>
          <dt>Measured on</dt>
          <dd>{calendarWords(policy.calendar)}</dd>
          <dt>Paused while</dt>
          <dd>{d.pauseWhen ? conditionText(d.pauseWhen) : "never paused"}</dd>
          <dt>Warning</dt>
          <dd>{warningWords(d.warning)}</dd>
          <dt>Escalations</dt>
          <dd>{escalationWords(d.escalations)}</dd>
          <dt>Switched on</dt>
          <dd>{policy.enabled ? "Yes" : "No: it starts no new clocks"}</dd>
          <dt>Open clocks</dt>
          <dd>{policy.open_clocks}</dd>
        </dl>
        <p className={styles.muted}>Only admins change SLA policies.</p>
      </section>
      <p>
        <Link to="/sla/policies">Back to the policies</Link>
      </p>
    </div>
  );
}
