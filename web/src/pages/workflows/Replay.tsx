/**
 * The replay page (/workflows/$id/replay; issue 19, item 6; docs/testing-workflows.md "Replay"):
 * "what would this change have done?". The admin picks a period (the last 7 days by default) and
 * a limit and replays the triggers production received against the draft in a sandbox; the page
 * shows the counts per verdict in words and a table of the triggers — the record (linked), when,
 * the verdict and the differences' sentences —, filtered by verdict; a row opens production's
 * outcome and the draft's side by side (path, owner, fields, records created, messages).
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { type FormEvent, Fragment, useId, useState } from "react";
import { api, unwrap } from "../../api/client";
import { Segmented } from "../../components/Segmented";
import { ErrorMessage, PageHeader, ui } from "../../components/ui";
import { type ObjectInfo, objectsQuery, recordTitle } from "../../records/model";
import { listRecords } from "../../records/recordsApi";
import { ProblemText } from "../builder/test/ProblemText";
import {
  countWords,
  type Outcome,
  type ReplayReport,
  type ReplayTrigger,
  summaryWords,
  VERDICT_WORDS,
  VERDICTS,
  type Verdict,
  valueText,
  weekAgo,
} from "./replay-words";
import styles from "./workflows.module.css";

const LIMIT_MAX = 500;

/** The differences cell when the report lists none: what the verdict itself says. */
const NO_DIFFERENCE_WORDS: Record<Verdict, string> = {
  unchanged: "None",
  changed: "—",
  new: "Production did not enroll it; the draft would.",
  no_longer_enrolled: "Production enrolled it; the draft would not.",
};

export function Replay() {
  const { id } = useParams({ from: "/app/workflows/$id/replay" });
  const formId = useId();
  const workflow = useQuery({
    queryKey: ["workflow", id],
    queryFn: async () => unwrap(await api.GET("/api/v1/workflows/{id}", { params: { path: { id } } })),
  });
  const objects = useQuery(objectsQuery);
  const [since, setSince] = useState(() => weekAgo());
  const [until, setUntil] = useState("");
  const [limit, setLimit] = useState("100");
  const [limitError, setLimitError] = useState<string>();
  const [filter, setFilter] = useState<Verdict | "all">("all");
  const [opened, setOpened] = useState<string>();
  const replay = useMutation({
    mutationFn: async (body: { since?: string; until?: string; limit: number }) =>
      unwrap(await api.POST("/api/v1/workflows/{id}/replays", { params: { path: { id } }, body })),
    onSuccess: () => {
      setFilter("all");
      setOpened(undefined);
    },
  });

  const titles = useTitles(objects.data, workflow.data?.object, replay.data);

  if (workflow.error)
    return (
      <>
        <PageHeader title="What would this change have done?" />
        <ErrorMessage error={workflow.error} what="this workflow" />
      </>
    );
  if (!workflow.data) return <p aria-live="polite">Loading the workflow…</p>;
  const w = workflow.data;
  const plural = objects.data?.find((o) => o.name === w.object)?.plural;
  const hasDraft = w.latest_version !== w.live_version;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > LIMIT_MAX) {
      setLimitError(`Give a whole number from 1 to ${LIMIT_MAX}.`);
      return;
    }
    setLimitError(undefined);
    replay.mutate({
      ...(since ? { since: new Date(since).toISOString() } : {}),
      ...(until ? { until: new Date(until).toISOString() } : {}),
      limit: n,
    });
  };

  const report = replay.data;
  const shown = report ? report.triggers.filter((t) => filter === "all" || t.verdict === filter) : [];

  return (
    <div className={styles.page}>
      <div>
        <p className={styles.muted}>
          <Link to="/workflows">Workflows</Link> /{" "}
          <Link to="/workflows/$id" params={{ id: w.id }}>
            {w.key}
          </Link>{" "}
          / replay
        </p>
        <PageHeader title="What would this change have done?">
          {w.name}: the triggers production received are run again against the draft in a sandbox, with the records as they were, and each
          outcome is compared with what production did. Nothing is written and nothing is sent.
        </PageHeader>
        {w.live_version === null ? (
          <p role="alert">This workflow has never been live: there are no triggers to replay yet.</p>
        ) : !hasDraft ? (
          <p className={styles.muted}>
            There is no draft: the live version {w.live_version} is replayed against itself. Change the workflow in the{" "}
            <Link to="/workflows/$id/edit" params={{ id: w.id }}>
              builder
            </Link>{" "}
            first to see what the change would do.
          </p>
        ) : (
          <p className={styles.muted}>
            The draft (version {w.latest_version}) against the live version {w.live_version}.{" "}
            <Link to="/workflows/$id/edit" params={{ id: w.id }}>
              Open the draft in the builder
            </Link>
          </p>
        )}
      </div>

      <section className={ui.section} aria-labelledby={`${formId}-h`}>
        <h2 id={`${formId}-h`}>Which triggers</h2>
        <form className={styles.replayForm} onSubmit={submit} noValidate>
          <div className={ui.field}>
            <label className={ui.label} htmlFor={`${formId}-since`}>
              Since
            </label>
            <input
              id={`${formId}-since`}
              type="datetime-local"
              className={ui.input}
              value={since}
              onChange={(e) => setSince(e.target.value)}
            />
          </div>
          <div className={ui.field}>
            <label className={ui.label} htmlFor={`${formId}-until`}>
              Until
            </label>
            <span id={`${formId}-until-hint`} className={ui.hint}>
              Empty: until now
            </span>
            <input
              id={`${formId}-until`}
              type="datetime-local"
              className={ui.input}
              aria-describedby={`${formId}-until-hint`}
              value={until}
              onChange={(e) => setUntil(e.target.value)}
            />
          </div>
          <div className={ui.field}>
            <label className={ui.label} htmlFor={`${formId}-limit`}>
              At most this many triggers
            </label>
            <span id={`${formId}-limit-hint`} className={ui.hint}>
              The newest first; up to {LIMIT_MAX}
            </span>
            <input
              id={`${formId}-limit`}
              type="number"
              min={1}
              max={LIMIT_MAX}
              className={ui.input}
              aria-invalid={limitError ? true : undefined}
              aria-describedby={`${formId}-limit-hint${limitError ? ` ${formId}-limit-error` : ""}`}
              value={limit}
              onChange={(e) => setLimit(e.target.value)}
            />
            {limitError ? (
              <span id={`${formId}-limit-error`} className={ui.fieldError}>
                {limitError}
              </span>
            ) : null}
          </div>
          <button type="submit" className={ui.button} disabled={replay.isPending || w.live_version === null}>
            {replay.isPending ? "Replaying…" : "Replay against the draft"}
          </button>
        </form>
        {replay.error ? <ProblemText error={replay.error} what="The replay did not run" /> : null}
      </section>

      {report ? (
        <section className={ui.section} aria-labelledby={`${formId}-result`} aria-live="polite">
          <h2 id={`${formId}-result`}>What the draft would have done</h2>
          <p>{summaryWords(report)}</p>
          <ul className={styles.verdictCounts} aria-label="Counts per verdict">
            {VERDICTS.map((v) => (
              <li key={v} className={styles[`verdict_${v}`]}>
                {countWords(v, report.counts[v])}
              </li>
            ))}
          </ul>
          {report.triggers.length === 0 ? (
            <p>No trigger in this period enrolled a record in production or in the draft: widen the period.</p>
          ) : (
            <>
              <Segmented
                label="Show the triggers"
                options={[
                  { value: "all", label: `All (${report.triggers.length})` },
                  ...VERDICTS.map((v) => ({ value: v, label: `${VERDICT_WORDS[v]} (${report.counts[v]})` })),
                ]}
                value={filter}
                onChange={setFilter}
              />
              <div className={styles.tableWrap}>
                <table className={ui.table} aria-label="Triggers replayed">
                  <thead>
                    <tr>
                      <th scope="col">Record</th>
                      <th scope="col">When</th>
                      <th scope="col">Verdict</th>
                      <th scope="col">Differences</th>
                      <th scope="col">Side by side</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((t) => (
                      <Fragment key={t.event_id}>
                        <tr>
                          <td>
                            {plural ? (
                              <Link to="/records/$object/$id" params={{ object: plural, id: t.record_id }}>
                                {titles.get(t.record_id) ?? t.record_id}
                              </Link>
                            ) : (
                              t.record_id
                            )}
                          </td>
                          <td>{new Date(t.occurred_at).toLocaleString()}</td>
                          <td>
                            <span className={styles[`verdict_${t.verdict}`]}>{VERDICT_WORDS[t.verdict]}</span>
                          </td>
                          <td>
                            {t.differences.length === 0 ? (
                              <span className={styles.muted}>{NO_DIFFERENCE_WORDS[t.verdict]}</span>
                            ) : (
                              <ul className={styles.failureList}>
                                {t.differences.map((d) => (
                                  <li key={`${d.aspect}-${d.field ?? ""}-${d.sentence}`}>{d.sentence}</li>
                                ))}
                              </ul>
                            )}
                          </td>
                          <td>
                            <button
                              type="button"
                              className={ui.secondary}
                              aria-expanded={opened === t.event_id}
                              aria-controls={`cmp-${t.event_id}`}
                              aria-label={`${opened === t.event_id ? "Hide" : "Compare"} production and the draft for ${titles.get(t.record_id) ?? t.record_id}`}
                              onClick={() => setOpened((o) => (o === t.event_id ? undefined : t.event_id))}
                            >
                              {opened === t.event_id ? "Hide" : "Compare"}
                            </button>
                          </td>
                        </tr>
                        {opened === t.event_id ? (
                          <tr id={`cmp-${t.event_id}`}>
                            <td colSpan={5}>
                              <SideBySide t={t} title={titles.get(t.record_id) ?? t.record_id} names={titles} />
                            </td>
                          </tr>
                        ) : null}
                      </Fragment>
                    ))}
                  </tbody>
                </table>
              </div>
              {shown.length === 0 ? <p>No trigger has this verdict.</p> : null}
            </>
          )}
        </section>
      ) : null}
    </div>
  );
}

/**
 * The names of the records replayed and of the owners chosen, by id, read once per report (the
 * report names records and people by id only): at most 500 of each, in pages of the API's size.
 */
function useTitles(
  objects: readonly ObjectInfo[] | undefined,
  objectName: string | undefined,
  report: ReplayReport | undefined,
): Map<string, string> {
  const object = objects?.find((o) => o.name === objectName);
  const users = objects?.find((o) => o.name === "user");
  const names = useQuery({
    queryKey: ["replay-titles", report?.triggers.map((t) => t.event_id)],
    enabled: report !== undefined && object !== undefined && users !== undefined,
    queryFn: async () => {
      const records = [...new Set(report?.triggers.map((t) => t.record_id))];
      const owners = [...new Set(report?.triggers.flatMap((t) => [t.production?.owner, t.draft?.owner]).filter((o): o is string => !!o))];
      const titles = new Map<string, string>();
      const read = async (o: ObjectInfo, ids: string[]) => {
        if (ids.length === 0) return;
        const page = await listRecords(o.plural, { filter: { field: "id", op: "in", value: ids.slice(0, 500) }, limit: 500 });
        for (const r of page.data) titles.set(r.id, recordTitle(o, r));
      };
      await Promise.all([read(object as ObjectInfo, records), read(users as ObjectInfo, owners)]);
      return titles;
    },
  });
  return names.data ?? new Map();
}

/** Production's outcome and the draft's, in two columns with the same rows. */
function SideBySide({ t, title, names }: { t: ReplayTrigger; title: string; names: ReadonlyMap<string, string> }) {
  return (
    <section className={styles.sideBySide} aria-label={`Production and the draft for ${title}`}>
      <OutcomeView title="Production did" outcome={t.production} none="Not enrolled in production." names={names} />
      <OutcomeView title="The draft would" outcome={t.draft} none="Would not enroll." names={names} />
    </section>
  );
}

function OutcomeView({
  title,
  outcome,
  none,
  names,
}: {
  title: string;
  outcome: ReplayReport["triggers"][number]["draft"];
  none: string;
  names: ReadonlyMap<string, string>;
}) {
  return (
    <div className={styles.outcome}>
      <h3>{title}</h3>
      {outcome ? <OutcomeFacts o={outcome} names={names} /> : <p>{none}</p>}
    </div>
  );
}

function OutcomeFacts({ o, names }: { o: Outcome; names: ReadonlyMap<string, string> }) {
  const name = (v: unknown) => (typeof v === "string" ? (names.get(v) ?? v) : valueText(v));
  const fields = Object.entries(o.fields);
  return (
    <dl className={styles.facts}>
      <dt>Status</dt>
      <dd>{o.status}</dd>
      <dt>Path</dt>
      <dd>{o.path.length > 0 ? o.path.join(" → ") : "no step"}</dd>
      <dt>Owner</dt>
      <dd>{o.owner ? name(o.owner) : "none"}</dd>
      <dt>Fields written</dt>
      <dd>{fields.length > 0 ? fields.map(([k, v]) => `${k} = ${k.endsWith("_id") ? name(v) : valueText(v)}`).join("; ") : "none"}</dd>
      <dt>Records created</dt>
      <dd>{o.created.length > 0 ? o.created.map((c) => c.object).join(", ") : "none"}</dd>
      <dt>Messages</dt>
      <dd>{o.messages.length > 0 ? o.messages.map((m) => `${m.kind}${m.to ? ` to ${m.to}` : ""}: ${m.what}`).join("; ") : "none"}</dd>
    </dl>
  );
}
