/**
 * One rule set: its rules in priority order (name, the condition in words, who gets the record),
 * "run on every new <object>", and the server's problems shown next to the rule they name.
 * Admins and managers change it here: Move up / Move down (a PATCH with the rules in their new
 * order), add, edit and delete a rule (RuleEditor), its name, description and default target
 * (RuleSetSettings), and delete it (DeleteRuleSet). Everyone else reads it.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams, useRouteContext } from "@tanstack/react-router";
import { useState } from "react";
import { api, ifMatch, isStale, unwrap } from "../../api/client";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorMessage, PageHeader, ui } from "../../components/ui";
import { DeleteRuleSet } from "./DeleteRuleSet";
import { mayManageRouting, problemsOf, type RuleSet as RuleSetData, ruleSetQuery } from "./data";
import styles from "./Routing.module.css";
import { RuleEditor } from "./RuleEditor";
import { RuleSetSettings } from "./RuleSetSettings";
import { type RuleInput, ruleInput, withoutRule } from "./rule-edit";
import { Simulation } from "./Simulation";
import { ruleWhen } from "./words";

export function RuleSet() {
  const { id } = useParams({ from: "/app/routing/rule-sets/$id" });
  const { session } = useRouteContext({ from: "/app" });
  const manage = mayManageRouting(session.user.role);
  const queryClient = useQueryClient();
  const set = useQuery(ruleSetQuery(id));
  /** The rule being edited (its index; the number of rules for a new one), or none. */
  const [editing, setEditing] = useState<number | null>(null);
  const [deleting, setDeleting] = useState<number | null>(null);
  const [announce, setAnnounce] = useState("");
  const saved = (data: RuleSetData, what: string) => {
    queryClient.setQueryData(ruleSetQuery(id).queryKey, data);
    void queryClient.invalidateQueries({ queryKey: ["routing", "rule-sets"], exact: true });
    setAnnounce(`${what} Saved as version ${data.version}.`);
  };
  const save = useMutation({
    mutationFn: async (body: { rules?: RuleInput[]; on_create?: boolean }) =>
      unwrap(
        await api.PATCH("/api/v1/routing/rule-sets/{rule_set}", {
          params: { path: { rule_set: id } },
          body,
          ...(set.data ? { headers: ifMatch(set.data.version) } : {}),
        }),
      ),
    onSuccess: (data) => saved(data, ""),
    // Someone else saved first: read their version, so the next move starts from it.
    onError: (e) => {
      if (isStale(e)) void queryClient.invalidateQueries({ queryKey: ruleSetQuery(id).queryKey });
    },
  });
  const problems = problemsOf(save.error);

  if (set.error) return <ErrorMessage error={set.error} what="this rule set" />;
  if (!set.data) return <p aria-live="polite">Loading the rule set…</p>;
  const s = set.data;
  const move = (from: number, to: number) => {
    const rules = s.rules.map(ruleInput);
    const [moved] = rules.splice(from, 1);
    if (!moved) return;
    rules.splice(to, 0, moved);
    save.mutate({ rules });
  };
  const doomed = deleting === null ? undefined : s.rules[deleting];
  /** Closes the editor and gives the keyboard back to the button that opened it. */
  const close = (index: number) => {
    setEditing(null);
    requestAnimationFrame(() => document.getElementById(index < s.rules.length ? `edit-rule-${index}` : "add-rule")?.focus());
  };
  const editor = (index: number) => (
    <div className={styles.editor}>
      <RuleEditor
        // A fresh form for each rule, so a form never shows another rule's values.
        key={index}
        set={s}
        index={index}
        onSaved={(data) => {
          saved(data, index < s.rules.length ? "Rule saved." : "Rule added.");
          close(index);
        }}
        onCancel={() => close(index)}
      />
    </div>
  );

  return (
    <div className={styles.page}>
      <PageHeader title={s.name}>
        {s.description || `Chooses the ${s.field.replace(/_id$/, "")} of ${s.object} records.`} Rules are checked from the top; the first
        that matches decides.
      </PageHeader>
      {problems && deleting === null ? (
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
        {manage ? (
          <RuleSetSettings set={s} onSaved={(data) => saved(data, "Settings saved.")} />
        ) : (
          <>
            <p className={styles.muted}>When no rule matches: {s.default_target_label || "nobody — the record stays unassigned"}.</p>
            <p className={styles.muted}>Only admins and managers change rule sets; you can read this one.</p>
          </>
        )}
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
                  {error && editing !== i ? <p className={styles.fieldError}>{error}</p> : null}
                </div>
                {manage ? (
                  <div className={styles.ruleButtons}>
                    <button
                      type="button"
                      className={styles.small}
                      disabled={i === 0 || save.isPending || editing !== null}
                      onClick={() => move(i, i - 1)}
                    >
                      {/* The rule's name is read out, so each button's name is unique. */}
                      Move <span className="visually-hidden">{r.name} </span>
                      up
                    </button>
                    <button
                      type="button"
                      className={styles.small}
                      disabled={i === s.rules.length - 1 || save.isPending || editing !== null}
                      onClick={() => move(i, i + 1)}
                    >
                      Move <span className="visually-hidden">{r.name} </span>
                      down
                    </button>
                    <button
                      id={`edit-rule-${i}`}
                      type="button"
                      className={styles.small}
                      aria-expanded={editing === i}
                      onClick={() => setEditing(editing === i ? null : i)}
                    >
                      Edit <span className="visually-hidden">{r.name}</span>
                    </button>
                    <button
                      type="button"
                      className={styles.small}
                      disabled={editing !== null}
                      onClick={() => {
                        save.reset();
                        setDeleting(i);
                      }}
                    >
                      Delete <span className="visually-hidden">{r.name}</span>
                    </button>
                  </div>
                ) : (
                  <span />
                )}
                {editing === i ? editor(i) : null}
              </li>
            );
          })}
        </ol>
        {manage ? (
          editing === s.rules.length ? (
            editor(s.rules.length)
          ) : (
            <div className={styles.row}>
              <button id="add-rule" type="button" className={ui.button} onClick={() => setEditing(s.rules.length)}>
                Add a rule
              </button>
            </div>
          )
        ) : null}
        <p className={styles.muted} aria-live="polite">
          {save.isPending ? "Saving…" : save.isSuccess ? `Saved as version ${s.version}.` : announce}
        </p>
      </section>
      {/* A new version makes the last simulation stale: it starts afresh for the rules as they are now. */}
      {manage ? <Simulation key={s.version} ruleSetId={s.id} object={s.object} /> : null}
      {manage ? (
        <section className={styles.card} aria-labelledby="delete-heading">
          <h2 id="delete-heading">Delete this rule set</h2>
          <p className={styles.muted}>Records already assigned keep their owner and the reason; nothing is routed by it afterwards.</p>
          <div className={styles.row}>
            <DeleteRuleSet set={s} />
          </div>
        </section>
      ) : null}
      <ConfirmDialog
        open={doomed !== undefined}
        onOpenChange={(open) => (open ? undefined : setDeleting(null))}
        title={`Delete the rule “${doomed?.name ?? ""}”?`}
        confirm="Delete rule"
        danger
        pending={save.isPending}
        pendingLabel="Deleting…"
        error={save.error ? `Not deleted: ${save.error.message}` : undefined}
        onConfirm={() => {
          if (deleting === null) return;
          save.mutate({ rules: withoutRule(s.rules, deleting) }, { onSuccess: () => setDeleting(null) });
        }}
      >
        {doomed
          ? `${s.object[0]?.toUpperCase()}${s.object.slice(1)}s it took (${ruleWhen(doomed.when)}) go to the rules below it, or to the default.`
          : ""}
      </ConfirmDialog>
    </div>
  );
}
