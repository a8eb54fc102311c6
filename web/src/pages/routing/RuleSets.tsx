/**
 * Assignment rule sets: each with its object, how many rules, whether it runs on every new record,
 * and its default. Admins and managers start a new one here (/routing/rule-sets/new).
 */
import { useQuery } from "@tanstack/react-query";
import { Link, useRouteContext } from "@tanstack/react-router";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../../components/ui";
import { mayManageRouting, ruleSetsQuery } from "./data";
import styles from "./Routing.module.css";
import { count } from "./words";

export function RuleSets() {
  const sets = useQuery(ruleSetsQuery);
  const { session } = useRouteContext({ from: "/app" });
  const manage = mayManageRouting(session.user.role);
  return (
    <div className={styles.page}>
      <PageHeader title="Rule sets">
        Who gets a new record: each rule set checks its rules from the top, and the first rule that matches names the person or queue that
        gets it. When no rule matches, the default takes it.
      </PageHeader>
      {manage ? (
        <div>
          <Link to="/routing/rule-sets/new" className={ui.button}>
            New rule set
          </Link>
        </div>
      ) : null}
      {sets.error ? <ErrorMessage error={sets.error} what="the rule sets" /> : null}
      {sets.isPending ? <p aria-live="polite">Loading rule sets…</p> : null}
      {sets.data?.length === 0 ? (
        <EmptyState title="No rule sets yet">
          {manage
            ? "Start one with New rule set: choose the records it routes and where they go when no rule matches, then add its rules."
            : "Admins and managers create rule sets; once one exists, you can read its rules here."}
        </EmptyState>
      ) : null}
      {sets.data && sets.data.length > 0 ? (
        <table className={ui.table}>
          <thead>
            <tr>
              <th scope="col">Rule set</th>
              <th scope="col">Records</th>
              <th scope="col">Rules</th>
              <th scope="col">Runs on every new record</th>
              <th scope="col">When no rule matches</th>
            </tr>
          </thead>
          <tbody>
            {sets.data.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link to="/routing/rule-sets/$id" params={{ id: s.id }}>
                    {s.name}
                  </Link>
                  {s.description ? <p className={styles.muted}>{s.description}</p> : null}
                </td>
                <td>{s.object}</td>
                <td>{count(s.rules.length, "rule")}</td>
                <td>{s.on_create ? "Yes" : "No"}</td>
                <td>{s.default_target_label || "nobody: left unassigned"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
