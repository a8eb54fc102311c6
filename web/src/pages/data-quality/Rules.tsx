/**
 * /data-quality/rules: the workspace's validation rules and stage gates — name (a link to the
 * rule), the records it checks, rule or gate, refuse or warn, switched on, and why it exists —
 * then the status rules (StatusRules.tsx: when a record's status contradicts its data), then the phone formats: per phone field of each object, what happens to a number that does not
 * normalise. Every signed-in role reads it (a rep sees why a save was refused); admins also get
 * New rule, the on/off switches and the format selects (each write over the version listed; the
 * API refuses the writes to other roles).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useRouteContext } from "@tanstack/react-router";
import { isStale } from "../../api/client";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../../components/ui";
import { objectsQuery } from "../../records/model";
import { KIND_LABEL } from "./rule-draft";
import {
  type FieldFormat,
  formatsQuery,
  mayEditRules,
  type OnInvalid,
  rulesQuery,
  setFormat,
  updateRule,
  type ValidationRule,
} from "./rules-data";
import { styles } from "./rules-styles";
import { StatusRules } from "./StatusRules";

export function Rules() {
  const { session } = useRouteContext({ from: "/app" });
  const admin = mayEditRules(session.user.role);
  const rules = useQuery(rulesQuery);
  const objects = useQuery(objectsQuery);
  const label = (object: string) => objects.data?.find((o) => o.name === object)?.label ?? object;
  const newRule = admin ? (
    <div>
      <Link to="/data-quality/rules/new" className={ui.button}>
        New rule or gate
      </Link>
    </div>
  ) : null;
  return (
    <div className={styles.page}>
      <PageHeader title="Data rules">
        What every save of a record must respect — from a form, an import, the API or a workflow. A rule says when a save is wrong; a stage
        gate says what must be filled in before a field (a deal's stage, a ticket's status) moves to a value. Each either refuses the save
        with its message next to the field, or lets it through and queues the record for review.
      </PageHeader>
      {admin ? null : <p className={styles.muted}>Only admins change data rules; you can read them here.</p>}
      {rules.error ? <ErrorMessage error={rules.error} what="the data rules" /> : null}
      {rules.isPending ? <p aria-live="polite">Loading the data rules…</p> : null}
      {rules.data?.length === 0 ? (
        <EmptyState title="No data rules yet">
          Without rules, every save that fits the fields' types goes through. Add a stage gate such as “a deal moves to Proposal only once
          the budget is confirmed”, or a rule such as “a won deal carries an amount”: the person saving sees your message next to the field,
          or the record waits in the review queue.
          {admin ? null : " An admin of your workspace creates them."}
        </EmptyState>
      ) : null}
      {newRule}
      {rules.data && rules.data.length > 0 ? (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1)
        // biome-ignore lint/a11y/useSemanticElements: the region is the scroll frame, not a landmark
        <div className={styles.tableFrame} tabIndex={0} role="region" aria-label="Data rules (scrolls sideways)">
          <table className={ui.table} aria-label="Data rules">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Records</th>
                <th scope="col">Kind</th>
                <th scope="col">When broken</th>
                <th scope="col">Switched on</th>
                <th scope="col">Why it exists</th>
              </tr>
            </thead>
            <tbody>
              {rules.data.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to="/data-quality/rules/$id" params={{ id: r.id }}>
                      {r.name}
                    </Link>
                    <p className={styles.hint}>{r.summary}</p>
                  </td>
                  <td>{label(r.object)}</td>
                  <td>
                    <span className={styles.kind}>{KIND_LABEL[r.kind]}</span>
                  </td>
                  <td>{r.action === "refuse" ? <span className={styles.refuse}>Refused</span> : "Saved, queued for review"}</td>
                  <td>{admin ? <EnabledSwitch rule={r} /> : r.enabled ? "On" : "Off"}</td>
                  <td>{r.description || <span className={styles.muted}>not said</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <StatusRules admin={admin} />
      <Formats admin={admin} />
    </div>
  );
}

/** On / off for admins: a PATCH of `enabled` over the version listed; a 412 reads the list again and says so. */
function EnabledSwitch({ rule }: { rule: ValidationRule }) {
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: () => updateRule(rule.id, rule.version, { enabled: !rule.enabled }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["data-quality", "rules"] }),
  });
  return (
    <>
      <button
        type="button"
        role="switch"
        aria-checked={rule.enabled}
        aria-label={`${rule.name} switched on`}
        className={styles.switch}
        disabled={toggle.isPending}
        onClick={() => toggle.mutate()}
      >
        <span className={styles.track} aria-hidden="true" />
        <span aria-hidden="true">{rule.enabled ? "On" : "Off"}</span>
      </button>
      {toggle.error ? (
        <span role="alert" className={styles.error}>
          {isStale(toggle.error) ? "Someone else changed it meanwhile; the list is read again." : `Not switched: ${toggle.error.message}.`}
        </span>
      ) : null}
    </>
  );
}

const ON_INVALID_WORDS: Record<OnInvalid, string> = {
  fix: "Fix: use the record's country, refuse what cannot be read",
  refuse: "Refuse: only numbers typed with their country code",
  warn: "Warn: keep as typed, queue for review",
};

/** Per phone field, what happens to a number that does not normalise (refuse / fix / warn). */
function Formats({ admin }: { admin: boolean }) {
  const formats = useQuery(formatsQuery);
  const objects = useQuery(objectsQuery);
  const label = (object: string) => objects.data?.find((o) => o.name === object)?.label ?? object;
  return (
    <section className={styles.card} aria-labelledby="formats-heading">
      <h2 id="formats-heading">Phone formats</h2>
      <p className={styles.muted}>
        Phone numbers are stored with their country code (+14155550123). A number typed with it is always fixed to that form; this setting
        says what happens to one typed without it, or that cannot be read as a phone number.
      </p>
      {formats.error ? <ErrorMessage error={formats.error} what="the phone formats" /> : null}
      {formats.isPending ? <p aria-live="polite">Loading the phone fields…</p> : null}
      {formats.data?.length === 0 ? <p>No object has a phone field.</p> : null}
      {formats.data && formats.data.length > 0 ? (
        <table className={ui.table} aria-label="Phone formats">
          <thead>
            <tr>
              <th scope="col">Records</th>
              <th scope="col">Field</th>
              <th scope="col">A number that does not normalise</th>
            </tr>
          </thead>
          <tbody>
            {formats.data.map((f) => (
              <tr key={`${f.object}.${f.field}`}>
                <td>{label(f.object)}</td>
                <td>{f.label}</td>
                <td>{admin ? <FormatSelect format={f} objectLabel={label(f.object)} /> : ON_INVALID_WORDS[f.on_invalid]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function FormatSelect({ format, objectLabel }: { format: FieldFormat; objectLabel: string }) {
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (on: OnInvalid) => setFormat(format, on),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["data-quality", "formats"] }),
  });
  const id = `format-${format.object}-${format.field}`;
  return (
    <>
      <select
        id={id}
        className={styles.formatSelect}
        aria-label={`${objectLabel} ${format.label}: a number that does not normalise`}
        value={save.isPending && save.variables ? save.variables : format.on_invalid}
        disabled={save.isPending}
        onChange={(e) => save.mutate(e.target.value as OnInvalid)}
      >
        {(["fix", "refuse", "warn"] as const).map((o) => (
          <option key={o} value={o}>
            {ON_INVALID_WORDS[o]}
          </option>
        ))}
      </select>
      {save.error ? (
        <span role="alert" className={styles.error}>
          {isStale(save.error) ? " Someone else changed it meanwhile; the list is read again." : ` Not saved: ${save.error.message}.`}
        </span>
      ) : null}
    </>
  );
}
