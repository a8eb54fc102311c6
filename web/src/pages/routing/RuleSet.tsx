/**
 * One rule set: its rules in priority order (name, the condition in words, who gets the record),
 * Move up / Move down (a PATCH with the rules in their new order), "run on every new <object>",
 * and the server's problems shown next to the rule they name. Admins and managers change it;
 * everyone else reads it.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams, useRouteContext } from "@tanstack/react-router";
import { api, unwrap } from "../../api/client";
import { ErrorMessage, PageHeader } from "../../components/ui";
import { mayManageRouting, problemsOf, type Rule, ruleSetQuery } from "./data";
import styles from "./Routing.module.css";
import { Simulation } from "./Simulation";
import { ruleWhen } from "./words";

type RulePatch = { id: string; name: string; when: unknown; target: Rule["target"] };
const asInput = (r: Rule): RulePatch => ({ id: r.id, name: r.name, when: r.when, target: r.target });

export function RuleSet() {
  const { id } = useParams({ from: "/app/routing/rule-sets/$id" });
  const { session } = useRouteContext({ from: "/app" });
  const manage = mayManageRouting(session.user.role);
  const queryClient = useQueryClient();
  const set = useQuery(ruleSetQuery(id));
  const save = useMutation({
    mutationFn: async (body: { rules?: RulePatch[]; on_create?: boolean }) =>
      unwrap(await api.PATCH("/api/v1/routing/rule-sets/{rule_set}", { params: { path: { rule_set: id } }, body })),
    onSuccess: (data) => {
      queryClient.setQueryData(ruleSetQuery(id).queryKey, data);
      void queryClient.invalidateQueries({ queryKey: ["routing", "rule-sets"] });
    },
  });
  const problems = problemsOf(save.error);

  if (set.error) return <ErrorMessage error={set.error} what="this rule set" />;
  if (!set.data) return <p aria-live="polite">Loading the rule set…</p>;
  const s = set.data;
  const move = (from: number, to: number) => {
    const rules = s.rules.map(asInput);
    const [moved] = rules.splice(from, 1);
    if (!moved) return;
    rules.splice(to, 0, moved);
    save.mutate({ rules });
  };

  return (
    <div className={styles.page}>
      <PageHeader title={s.name}>
        {s.description || `Chooses the ${s.field.replace(/_id$/, "")} of ${s.object} records.`} Rules are checked from the top; the first
        that matches decides.
      </PageHeader>
      {problems ? (
        <div role="alert" className={styles.fieldError}>
          Not saved: {problems.summary}
        </div>
      ) : null}
      <section className={styles.card} aria-labelledby="settings-heading">
        <h2 id="settings-heading">Settings</h2>
        <label className={styles.check}>
          <input
            type="checkbox"
            checked={s.on_create}
            disabled={!manage || save.isPending}
            onChange={(e) => save.mutate({ on_create: e.target.checked })}
          />
          Run on every new {s.object} that has no {s.field.replace(/_id$/, "")} yet
        </label>
        <p className={styles.muted}>When no rule matches: {s.default_target_label || "nobody — the record stays unassigned"}.</p>
        {manage ? null : <p className={styles.muted}>Only admins and managers change rule sets; you can read this one.</p>}
      </section>
      <section className={styles.card} aria-labelledby="rules-heading">
        <h2 id="rules-heading">Rules, in priority order</h2>
        {s.rules.length === 0 ? <p className={styles.muted}>No rules: every record goes to the default.</p> : null}
        <ol className={styles.rules} aria-labelledby="rules-heading">
          {s.rules.map((r, i) => {
            const error = problems?.at(`rules[${i}]`);
            return (
              <li key={r.id} className={styles.rule} aria-label={`${i + 1}. ${r.name}`}>
                <span className={styles.position} aria-hidden="true">
                  {i + 1}
                </span>
                <div>
                  <h3>{r.name}</h3>
                  <p>
                    <strong>When</strong> {ruleWhen(r.when)}
                  </p>
                  <p>
                    <strong>Goes to</strong> {r.target_label}
                  </p>
                  {error ? <p className={styles.fieldError}>{error}</p> : null}
                </div>
                {manage ? (
                  <div className={styles.ruleButtons}>
                    <button type="button" className={styles.small} disabled={i === 0 || save.isPending} onClick={() => move(i, i - 1)}>
                      {/* The rule's name is read out, so each button's name is unique. */}
                      Move <span className="visually-hidden">{r.name} </span>
                      up
                    </button>
                    <button
                      type="button"
                      className={styles.small}
                      disabled={i === s.rules.length - 1 || save.isPending}
                      onClick={() => move(i, i + 1)}
                    >
                      {/* The rule's name is read out, so each button's name is unique. */}
                      Move <span className="visually-hidden">{r.name} </span>
                      down
                    </button>
                  </div>
                ) : (
                  <span />
                )}
              </li>
            );
          })}
        </ol>
        <p className={styles.muted} aria-live="polite">
          {save.isPending ? "Saving…" : save.isSuccess ? `Saved as version ${s.version}.` : ""}
        </p>
      </section>
      {manage ? <Simulation ruleSetId={s.id} object={s.object} /> : null}
    </div>
  );
}
