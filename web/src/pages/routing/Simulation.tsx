/**
 * "Simulate on the last N records": the real router over recent records inside a transaction
 * the server always rolls back — who would get how many, which rule decided how often, and the
 * records that would be held, fail or go to a fallback. Nothing is written; the page says so.
 */
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { ui } from "../../components/ui";
import { problemsOf } from "./data";
import { FieldError } from "./FieldError";
import styles from "./Routing.module.css";

export function Simulation({ ruleSetId, object }: { ruleSetId: string; object: string }) {
  const [last, setLast] = useState("100");
  const run = useMutation({
    mutationFn: async (n: number) =>
      unwrap(
        await api.POST("/api/v1/routing/rule-sets/{rule_set}/simulate", { params: { path: { rule_set: ruleSetId } }, body: { last: n } }),
      ),
  });
  const problems = problemsOf(run.error);
  const result = run.data;
  const most = Math.max(1, ...(result?.per_member ?? []).map((m) => m.count));
  return (
    <section className={styles.card} aria-labelledby="simulate-heading">
      <h2 id="simulate-heading">Simulation</h2>
      <p className={styles.muted}>
        See who would get the most recent {object}s under these rules, queues and today's availability. Nothing is assigned or changed.
      </p>
      <form
        className={styles.row}
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate(Number(last));
        }}
      >
        <div className={ui.field}>
          <label htmlFor="simulate-last" className={ui.label}>
            How many recent {object}s
          </label>
          <input
            id="simulate-last"
            className={styles.inputSmall}
            inputMode="numeric"
            value={last}
            onChange={(e) => setLast(e.target.value)}
            aria-invalid={problems?.at("last") ? true : undefined}
            aria-describedby={problems?.at("last") ? "simulate-last-error" : undefined}
          />
          <FieldError id="simulate-last" message={problems?.at("last")} />
        </div>
        <button type="submit" className={ui.button} disabled={run.isPending}>
          {run.isPending ? "Simulating…" : `Simulate on the last ${last || "N"} ${object}s`}
        </button>
      </form>
      {problems && !problems.at("last") ? (
        <p role="alert" className={styles.fieldError}>
          {problems.summary}
        </p>
      ) : null}
      {result ? (
        <div className={styles.page} aria-live="polite">
          <p className={styles.note}>
            Simulated on {result.records} {object}s with version {result.rule_set.version} of the rules. Nothing was written: no owner
            changed, no assignment recorded.
          </p>
          <table className={ui.table} aria-label="Would get">
            <caption className="visually-hidden">Records each person would get</caption>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Records</th>
                <th scope="col">
                  <span className="visually-hidden">Share</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {result.per_member.map((m) => (
                <tr key={m.user_id}>
                  <td>{m.name}</td>
                  <td className={styles.numeric}>{m.count}</td>
                  <td>
                    <svg className={styles.bar} viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                      <rect className={styles.track} width="100" height="10" />
                      <rect width={(100 * m.count) / most} height="10" />
                    </svg>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className={ui.table} aria-label="Decided by">
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">Records</th>
              </tr>
            </thead>
            <tbody>
              {result.per_rule.map((r) => (
                <tr key={r.rule}>
                  <td>{r.rule}</td>
                  <td className={styles.numeric}>{r.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Held, failed or sent to a fallback</h3>
          {result.fallback.length === 0 ? (
            <p className={styles.muted}>None: every record went where its rule sent it.</p>
          ) : (
            <ul aria-label="Held, failed or sent to a fallback">
              {result.fallback.map((d) => (
                <li key={d.id}>
                  <strong>{d.record_name ?? d.record_id}</strong> — {d.outcome}: {d.why}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </section>
  );
}
