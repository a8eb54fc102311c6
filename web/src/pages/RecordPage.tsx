/**
 * The record page — what a rep lives in: the record's fields (name as the heading, owner and
 * status beside it, the rest grouped), its related records, the Automation panel (workflows
 * working on it now and what they wait for; those that finished and how), the timeline of steps,
 * changes and activities with their "why", its SLA clocks, its score (ScorePanel), its chance to convert (ConversionChance), its AI predictions (PredictionsPanel), and "Run workflow". Route: /records/$object/$id, where
 * $object is the object's plural as in the API (leads, companies …).
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams, useRouteContext } from "@tanstack/react-router";
import { ApiError } from "../api/client";
import { EmptyState, ErrorMessage, ui } from "../components/ui";
import { LockBadge } from "./approvals/parts";
import { Automation } from "./record/Automation";
import { AwaitingApproval, lockedFields, useRecordApprovals } from "./record/AwaitingApproval";
import { ConversionChance } from "./record/ConversionChance";
import { DataQualityPanel } from "./record/DataQualityPanel";
import {
  fetchUsers,
  type ObjectInfo,
  objectsQuery,
  type RecordWithRelated,
  recordQuery,
  referencedQuery,
  runsQuery,
  slaQuery,
  timelineQuery,
  workflowsQuery,
} from "./record/data";
import { pollInterval } from "./record/live";
import { Merges } from "./record/Merges";
import { PredictionsPanel } from "./record/PredictionsPanel";
import styles from "./record/RecordPage.module.css";
import { Related } from "./record/Related";
import { RunWorkflowDialog } from "./record/RunWorkflowDialog";
import { ScorePanel } from "./record/ScorePanel";
import { SlaClocks } from "./record/SlaClocks";
import { Timeline } from "./record/Timeline";
import { WhyOwner } from "./record/WhyOwner";
import { fieldValue, recordTitle } from "./record/words";

/** Shown in the heading and beside it, not again in the details. */
const HEADER_FIELDS = new Set(["first_name", "last_name", "name", "subject", "owner_id", "assignee_id", "status", "stage"]);
/** People and teams: a rep may read them but not change them, so cannot run a workflow on them (the API refuses it too). */
const DIRECTORY = new Set(["user", "team"]);

function NotFoundRecord({ what }: { what: string }) {
  return (
    <>
      <h1 className={styles.title}>Record not found</h1>
      <EmptyState title={`No ${what} here`}>
        There is no {what} at this address in your workspace: it may have been deleted, the link may be mistyped, or it belongs to another
        workspace. <Link to="/records">Browse the records</Link>.
      </EmptyState>
    </>
  );
}

const filled = (v: unknown) => v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0);

function Details({ record, def, locked }: { record: RecordWithRelated; def: ObjectInfo; locked: ReadonlySet<string> }) {
  const shown = def.fields.filter((f) => !HEADER_FIELDS.has(f.name) && f.type !== "reference");
  const groups = [
    { title: "Details", fields: shown.filter((f) => !f.custom && !f.managed) },
    { title: "Custom fields", fields: shown.filter((f) => f.custom) },
    { title: "Kept by Handoff", fields: shown.filter((f) => f.managed) },
  ].filter((g) => g.fields.length > 0);
  return (
    <section className={styles.card} aria-labelledby="details-heading">
      <h2 id="details-heading">Fields</h2>
      {groups.map((g) => (
        <div key={g.title}>
          <h3>{g.title}</h3>
          {g.fields.some((f) => filled(record[f.name])) ? (
            <dl className={styles.fields}>
              {g.fields
                .filter((f) => filled(record[f.name]))
                .map((f) => (
                  <div key={f.name}>
                    <dt>
                      {f.label} {locked.has(f.name) ? <LockBadge /> : null}
                    </dt>
                    <dd>{fieldValue(record[f.name], f.type)}</dd>
                  </div>
                ))}
            </dl>
          ) : null}
          {/* Empty fields in one line: the filled ones are what a rep reads. */}
          {g.fields.some((f) => !filled(record[f.name])) ? (
            <p className={styles.muted}>
              Not filled in:{" "}
              {g.fields
                .filter((f) => !filled(record[f.name]))
                .map((f) => f.label)
                .join(", ")}
              .
            </p>
          ) : null}
        </div>
      ))}
      <p className={styles.muted}>
        Created {fieldValue(record.created_at, "datetime")} · updated {fieldValue(record.updated_at, "datetime")} · version{" "}
        {String(record.version)}
      </p>
    </section>
  );
}

export function RecordPage() {
  const { object: plural, id } = useParams({ from: "/app/records/$object/$id" });
  const { session } = useRouteContext({ from: "/app" });
  const queryClient = useQueryClient();
  const objects = useQuery(objectsQuery);
  const def = objects.data?.find((o) => o.plural === plural);
  // Started by the route's loader already (prefetchRecordPage); these read the same cache entries.
  const runs = useQuery({
    ...runsQuery(plural, id),
    enabled: def !== undefined,
    refetchInterval: (q) => pollInterval(q.state.data, queryClient.getQueryData(recordQuery(plural, id).queryKey)?.created_at),
  });
  const record = useQuery({
    ...recordQuery(plural, id),
    enabled: def !== undefined,
    refetchInterval: (q) => pollInterval(runs.data, q.state.data?.created_at),
  });
  const interval = pollInterval(runs.data, record.data?.created_at);
  const referenced = useQuery({ ...referencedQuery(queryClient, plural, id), enabled: record.isSuccess, refetchInterval: interval });
  const timeline = useQuery({ ...timelineQuery(plural, id), enabled: def !== undefined, refetchInterval: interval });
  const sla = useQuery({ ...slaQuery(plural, id), enabled: def !== undefined, refetchInterval: interval });
  const workflows = useQuery(workflowsQuery);
  const approvals = useRecordApprovals(id);
  // Names of the people the timeline mentions (owners chosen, who logged an activity, who was told).
  const userIds = [
    ...new Set(
      (timeline.data ?? []).flatMap((it) => {
        const ids: unknown[] = [];
        if (it.kind === "workflow_step") for (const e of it.effects) if ("user_id" in e) ids.push(e.user_id);
        if (it.kind === "change")
          for (const c of it.changes) if (def?.fields.find((f) => f.name === c.field)?.references?.includes("user")) ids.push(c.old, c.new);
        if (it.kind === "activity") ids.push(it.activity.user_id);
        return ids.filter((x): x is string => typeof x === "string");
      }),
    ),
  ].sort();
  const users = useQuery({
    queryKey: ["record", "users", userIds.join(",")],
    queryFn: () => fetchUsers(userIds),
    enabled: timeline.isSuccess,
  });

  if (objects.error) return <ErrorMessage error={objects.error} what="the kinds of records" />;
  if (objects.isPending) return <p aria-live="polite">Loading…</p>;
  if (!def) return <NotFoundRecord what={`kind of record called “${plural}”`} />;
  if (record.error instanceof ApiError && record.error.status === 404) return <NotFoundRecord what={def.label.toLowerCase()} />;
  if (record.error) return <ErrorMessage error={record.error} what={`this ${def.label.toLowerCase()}`} />;
  if (!record.data) return <p aria-live="polite">Loading the {def.label.toLowerCase()}…</p>;

  const r: RecordWithRelated = { ...record.data, related: referenced.data ?? {} };
  // Whose record it is: its owner, or a ticket's assignee (the server's ownerFieldOf).
  const ownerWord = def.fields.some((f) => f.name === "owner_id")
    ? "Owner"
    : def.fields.some((f) => f.name === "assignee_id")
      ? "Assignee"
      : null;
  const owner = (ownerWord === "Assignee" ? r.related?.assignee : r.related?.owner) ?? null;
  // The id is on the record before its name arrives: until then the header must not say "nobody".
  const ownerId = ownerWord === "Assignee" ? r.assignee_id : ownerWord === "Owner" ? r.owner_id : null;
  const ownerWords = owner
    ? null
    : typeof ownerId === "string" && ownerId !== ""
      ? referenced.isPending
        ? "…"
        : "a user not found"
      : "nobody yet";
  const status = typeof r.status === "string" ? r.status : typeof r.stage === "string" ? r.stage : null;
  const mayRun = session.user.role !== "rep" || !DIRECTORY.has(def.name);
  const byId = new Map((workflows.data ?? []).map((w) => [w.id, w]));
  const fieldsByName = new Map(def.fields.map((f) => [f.name, f]));
  const locks = lockedFields(approvals.data);
  const names = new Map(Object.values(r.related ?? {}).flatMap((x) => (x ? [[x.id, recordTitle(x)] as const] : [])));

  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <div>
          <p className={styles.kicker}>{def.label}</p>
          <h1 className={styles.title}>{recordTitle(r)}</h1>
          <p className={styles.meta}>
            {ownerWord ? (
              <span>
                {ownerWord}:{" "}
                {owner ? (
                  <Link to="/records/$object/$id" params={{ object: "users", id: owner.id }}>
                    {recordTitle(owner)}
                  </Link>
                ) : (
                  ownerWords
                )}
              </span>
            ) : null}
            {locks.all || locks.fields.size > 0 ? (
              <LockBadge label={locks.all ? "Record locked: awaiting approval" : "Awaiting approval"} />
            ) : null}
            {status ? (
              <span>
                {typeof r.status === "string" ? "Status" : "Stage"}: <span className={ui.badge}>{status}</span>
              </span>
            ) : null}
          </p>
        </div>
        <div className={styles.actions}>
          {/* The edit form is its own route (/records/$object/$id/edit, issue 14 §3). */}
          <a className={ui.button} href={`/records/${plural}/${id}/edit`}>
            Edit
          </a>
          {/* People and teams are not merged (their records are the directory). */}
          {DIRECTORY.has(def.name) ? null : (
            <a className={ui.secondary} href={`/records/${plural}/${r.id}/merge`}>
              Merge with…
            </a>
          )}
          {mayRun ? (
            <RunWorkflowDialog recordId={id} objectName={def.name} objectLabel={def.label} workflows={workflows.data ?? []} />
          ) : null}
        </div>
      </header>
      <div className={styles.grid}>
        <div className={styles.side}>
          <AwaitingApproval requests={approvals.data} error={approvals.error} />
          {DIRECTORY.has(def.name) ? null : (
            <DataQualityPanel recordId={id} recordPath={(other) => `/records/${plural}/${encodeURIComponent(other)}`} />
          )}
          {sla.error ? <ErrorMessage error={sla.error} what="the SLA clocks" /> : null}
          {/* People and teams get no clock in practice: their panel shows only when one exists. */}
          {sla.data && (sla.data.length > 0 || !DIRECTORY.has(def.name)) ? (
            <SlaClocks clocks={sla.data} readAt={sla.dataUpdatedAt} objectLabel={def.label} />
          ) : null}
          <ScorePanel plural={plural} id={id} def={def} refetchInterval={interval} />
          <ConversionChance object={def.name} id={id} objectLabel={def.label} refetchInterval={interval} />
          {runs.error ? <ErrorMessage error={runs.error} what="the workflows on this record" /> : null}
          {runs.data ? (
            <Automation runs={runs.data} workflows={byId} objectLabel={def.label} />
          ) : (
            <p aria-live="polite">Loading automation…</p>
          )}
          {timeline.error ? <ErrorMessage error={timeline.error} what="the timeline" /> : null}
          {timeline.data ? (
            <Timeline items={timeline.data} ctx={{ fields: fieldsByName, users: users.data ?? new Map(), names, objectLabel: def.label }} />
          ) : null}
        </div>
        <div className={styles.mainCol}>
          <Merges plural={plural} id={r.id} objectLabel={def.label} />
          {/* Why a field holds what an AI model put there, before why the owner is who the routing chose. */}
          <PredictionsPanel plural={plural} id={id} def={def} record={r} refetchInterval={interval} />
          <WhyOwner recordId={id} fields={r} objectLabel={def.label.toLowerCase()} refetchInterval={interval} />
          <Details record={r} def={def} locked={locks.fields} />
          <Related record={r} def={def} objects={objects.data ?? []} />
        </div>
      </div>
    </div>
  );
}
