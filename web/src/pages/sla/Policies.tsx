/**
 * /sla/policies: the workspace's SLA policies — name (a link to the policy), the records they
 * measure, the target and calendar in words, whether each is switched on, and its open clocks.
 * Every signed-in role reads it; admins also get New policy and the on/off switches (a PATCH of
 * `enabled` over the version listed; the API refuses the writes to other roles).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useRouteContext } from "@tanstack/react-router";
import { isStale } from "../../api/client";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../../components/ui";
import { objectsQuery } from "../../records/model";
import { mayEditSla, policiesQuery, updatePolicy } from "./data";
import type { Policy } from "./draft";
import styles from "./Sla.module.css";
import { calendarWords, targetWords } from "./words";

export function Policies() {
  const { session } = useRouteContext({ from: "/app" });
  const admin = mayEditSla(session.user.role);
  const policies = useQuery(policiesQuery);
  const objects = useQuery(objectsQuery);
  const label = (object: string) => objects.data?.find((o) => o.name === object)?.label ?? object;
  return (
    <div className={styles.page}>
      <PageHeader title="SLA policies">
        How fast records must be handled: each policy starts a clock on matching records, counts business time on a calendar, and warns,
        breaches and escalates on the way.
      </PageHeader>
      {admin && policies.data && policies.data.length > 0 ? (
        <div>
          <Link to="/sla/policies/new" className={ui.button}>
            New policy
          </Link>
        </div>
      ) : null}
      {admin ? null : <p className={styles.muted}>Only admins change SLA policies; you can read them here.</p>}
      {policies.error ? <ErrorMessage error={policies.error} what="the SLA policies" /> : null}
      {policies.isPending ? <p aria-live="polite">Loading SLA policies…</p> : null}
      {policies.data?.length === 0 ? (
        <EmptyState title="No SLA policies yet">
          An SLA policy is a promise about time — “every new ticket gets a first answer within 4 business hours” — measured on the records
          it names. Handoff starts a clock on each matching record, counts only open hours, and warns, breaches and escalates through your
          workflows.
          {admin ? null : " An admin of your workspace creates them."}
        </EmptyState>
      ) : null}
      {admin && policies.data?.length === 0 ? (
        <div>
          <Link to="/sla/policies/new" className={ui.button}>
            New policy
          </Link>
        </div>
      ) : null}
      {policies.data && policies.data.length > 0 ? (
        <table className={ui.table} aria-label="SLA policies">
          <thead>
            <tr>
              <th scope="col">Policy</th>
              <th scope="col">Records</th>
              <th scope="col">Target</th>
              <th scope="col">Measured on</th>
              <th scope="col">Switched on</th>
              <th scope="col" className={styles.numeric}>
                Open clocks
              </th>
            </tr>
          </thead>
          <tbody>
            {policies.data.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link to="/sla/policies/$name" params={{ name: p.name }}>
                    {p.name}
                  </Link>
                  {p.description ? <p className={styles.muted}>{p.description}</p> : null}
                </td>
                <td>{label(p.object)}</td>
                <td>{targetWords(p.target, p.targets_by)}</td>
                <td>{calendarWords(p.calendar)}</td>
                <td>{admin ? <EnabledSwitch policy={p} /> : p.enabled ? "On" : "Off"}</td>
                <td className={styles.numeric}>{p.open_clocks}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

/** On / off for admins: a PATCH of `enabled` over the version listed; a 412 reads the list again and says so. */
function EnabledSwitch({ policy }: { policy: Policy }) {
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: () => updatePolicy(policy.id, policy.version, { enabled: !policy.enabled }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["sla", "policies"] }),
  });
  return (
    <>
      <button
        type="button"
        role="switch"
        aria-checked={policy.enabled}
        aria-label={`${policy.name} switched on`}
        className={styles.switch}
        disabled={toggle.isPending}
        onClick={() => toggle.mutate()}
      >
        <span className={styles.track} aria-hidden="true" />
        <span aria-hidden="true">{policy.enabled ? "On" : "Off"}</span>
      </button>
      {toggle.error ? (
        <span role="alert" className={styles.error}>
          {isStale(toggle.error) ? "Someone else changed it meanwhile; the list is read again." : `Not switched: ${toggle.error.message}.`}
        </span>
      ) : null}
    </>
  );
}
