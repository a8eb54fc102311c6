/**
 * The record's timeline, newest first: workflow steps with their "why" in words (the comparison
 * that chose a branch, the reason an owner was chosen, the instant a wait ends), delivery attempts
 * of emails and calls to other systems, field changes with who made them, activities, loop stops,
 * and routing's decisions — each a disclosure that opens on its whole reason.
 */
import { type ReactNode, useId, useState } from "react";
import { AppLink } from "../../components/AppLink";
import type { StepEffect } from "../run/run-types";
import { type Assignment, AssignmentReason, assignmentHeadline, sentence } from "./AssignmentReason";
import type { FieldInfo, TimelineItem } from "./data";
import styles from "./RecordPage.module.css";
import { clock, fieldValue, type Rec, readableWhy, recordTitle, relative } from "./words";

type StepItem = Extract<TimelineItem, { kind: "workflow_step" }>;

export interface TimelineContext {
  fields: Map<string, FieldInfo>;
  users: Map<string, Rec>;
  /** Titles of the records this one points at now (its company, contact …), by id. */
  names: Map<string, string>;
  objectLabel: string;
}

/** What kind of actor made a change, when the name alone does not say it. */
const ACTOR_NOTE: Record<string, string> = { workflow: "workflow", integration: "integration", system: "automatic" };

/** The server names a scoring model's writes "Handoff (scoring:<key>@v<n>)": said as the model and version. */
const actorName = (actor: { kind: string; name?: string | null }) => {
  const scoring = actor.name?.match(/^Handoff \(scoring:([a-z][a-z0-9_-]*)@v(\d+)\)$/);
  return scoring ? `Scoring model “${scoring[1]}”, version ${scoring[2]},` : (actor.name ?? actor.kind);
};

const userName = (ctx: TimelineContext, id: unknown) =>
  typeof id === "string" ? ((ctx.users.get(id)?.name as string | undefined) ?? ctx.names.get(id) ?? "someone") : "someone";

/** One effect of a step, as a rep would say it. */
function effectWords(e: StepEffect, ctx: TimelineContext): ReactNode {
  switch (e.command) {
    case "assign_owner":
      return (
        <>
          Assigned to <strong>{userName(ctx, e.user_id)}</strong>. <span data-testid="owner-reason">Why: {e.why}</span>
        </>
      );
    case "create_record":
      return `Created ${/^[aeiou]/.test(e.object) ? "an" : "a"} ${e.object}${e.fields.subject ? `: “${String(e.fields.subject)}”` : ""}${e.fields.priority ? ` (${String(e.fields.priority)})` : ""}.`;
    case "update_record":
      return `Changed ${Object.keys(e.fields)
        .map((f) => ctx.fields.get(f)?.label ?? f)
        .join(", ")}.`;
    case "change_score":
      return `${ctx.fields.get(e.field)?.label ?? e.field} ${e.from} → ${e.to}.`;
    case "notify":
      return `Notified ${userName(ctx, e.user_id)}${e.why ? ` (${e.why})` : ""}.`;
    case "merge_records":
      return `${e.why.charAt(0).toUpperCase()}${e.why.slice(1)}.`;
    case "queue_review":
      return e.added
        ? `Put the record in the review queue${e.assignee_id ? ` for ${userName(ctx, e.assignee_id)}` : ""}.`
        : "The record was in the review queue for this already.";
    case "start_timer":
      return (
        <>
          Waits until <time dateTime={e.due_at}>{clock(e.due_at)}</time> ({relative(e.due_at)}).
        </>
      );
    case "cancel_timer":
      return "Stopped its timer.";
    case "enroll":
      return `Started workflow ${e.workflow}.`;
    case "unenroll":
      return `Took the record out of ${e.workflow}.`;
    case "enqueue_external":
      return "error" in e ? `Could not queue the external action: ${e.error}` : `Queued an ${e.kind} to send.`;
  }
}

function stepWords(item: StepItem, ctx: TimelineContext): ReactNode[] {
  const out: ReactNode[] = [];
  if (item.type === "branch" || item.type === "switch") {
    const to = item.outcome.replace(/^→ /, "");
    out.push(
      <>
        Went to “{to}” because {readableWhy(item.why)}.
      </>,
    );
  } else if (item.type === "goal") out.push(`Goal reached: ${readableWhy(item.why)}.`);
  else if (item.outcome === "failed" || item.outcome === "fallback") out.push(`Did not work: ${item.why}.`);
  for (const e of item.effects) {
    const words = effectWords(e, ctx);
    if (words) out.push(words);
  }
  if (out.length === 0) out.push(item.why ? readableWhy(item.why) : item.outcome);
  return out;
}

function ItemBody({ item, ctx }: { item: TimelineItem; ctx: TimelineContext }) {
  switch (item.kind) {
    case "workflow_step":
      return (
        <>
          <p className={styles.itemTitle}>
            <AppLink href={`/workflows/${item.workflow?.id}`}>{item.workflow?.name ?? "A workflow"}</AppLink> · step “{item.step}”{" "}
            <span className={styles.muted}>({item.outcome})</span>
          </p>
          {stepWords(item, ctx).map((w, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the sentences of one step never reorder
            <p key={i}>{w}</p>
          ))}
          <a className={styles.small} href={`/runs/${item.run_id}`}>
            Open run
          </a>
        </>
      );
    case "delivery_attempt":
      return (
        <>
          <p className={styles.itemTitle}>
            {item.workflow?.name ?? "A workflow"} · delivery attempt {item.attempt} of step “{item.step}”
          </p>
          <p>
            {item.outcome === "delivered" ? "Delivered." : `${item.outcome}${item.error ? `: ${item.error}` : ""}`}
            {item.next_attempt_at ? ` Next try ${relative(item.next_attempt_at)}.` : ""}
          </p>
        </>
      );
    case "change": {
      const verb = item.action === "create" ? "created this" : item.action === "delete" ? "deleted this" : "changed this";
      return (
        <>
          <p className={styles.itemTitle}>
            <strong>{actorName(item.actor)}</strong> {verb} {ctx.objectLabel.toLowerCase()}
            {ACTOR_NOTE[item.actor.kind] ? <span className={styles.muted}> ({ACTOR_NOTE[item.actor.kind]})</span> : null}
          </p>
          <ul className={styles.changes}>
            {item.changes.map((c) => {
              const f = ctx.fields.get(c.field);
              const shown = (v: unknown) =>
                f?.type === "reference" && typeof v === "string" ? (ctx.names.get(v) ?? userName(ctx, v)) : fieldValue(v, f?.type);
              return (
                <li key={c.field}>
                  {f?.label ?? c.field}: {item.action === "create" ? shown(c.new) : `${shown(c.old)} → ${shown(c.new)}`}
                </li>
              );
            })}
          </ul>
        </>
      );
    }
    case "activity": {
      const a = item.activity;
      return (
        <>
          <p className={styles.itemTitle}>
            <AppLink href={`/records/activities/${a.id}`}>{recordTitle(a)}</AppLink>{" "}
            <span className={styles.muted}>
              ({String(a.type)}
              {a.user_id ? ` by ${userName(ctx, a.user_id)}` : ""})
            </span>
          </p>
          {typeof a.body === "string" ? <p>{a.body}</p> : null}
        </>
      );
    }
    case "loop_stop":
      return (
        <>
          <p className={styles.itemTitle}>Loop protection stopped a workflow</p>
          <p>{item.message}</p>
        </>
      );
    case "assignment":
      return <AssignmentEntry a={item.assignment} objectLabel={ctx.objectLabel.toLowerCase()} />;
  }
}

/** A routing decision: its headline is a button that shows or hides the whole reason (Enter or Space). */
function AssignmentEntry({ a, objectLabel }: { a: Assignment; objectLabel: string }) {
  const [open, setOpen] = useState(false);
  const bodyId = useId();
  return (
    <>
      <button type="button" className={styles.disclosure} aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen(!open)}>
        <span aria-hidden="true" className={styles.disclosureMark}>
          {open ? "▾" : "▸"}
        </span>
        {assignmentHeadline(a)}
      </button>
      <div id={bodyId} hidden={!open} className={styles.disclosureBody}>
        {a.outcome === "failed" ? null : <p>{sentence(a.why)}.</p>}
        <AssignmentReason a={a} objectLabel={objectLabel} />
      </div>
    </>
  );
}

const KIND_LABEL: Record<TimelineItem["kind"], string> = {
  workflow_step: "Workflow",
  delivery_attempt: "Delivery",
  change: "Change",
  activity: "Activity",
  loop_stop: "Loop stop",
  assignment: "Routing",
};

/** A stable key per item: what identifies it in its own kind. */
function keyOf(item: TimelineItem): string {
  switch (item.kind) {
    case "workflow_step":
      return `step:${item.run_id}:${item.seq}`;
    case "delivery_attempt":
      return `attempt:${item.outbox_id}:${item.attempt}:${item.at}`;
    case "activity":
      return `activity:${item.activity.id}`;
    case "loop_stop":
      return `stop:${item.event_id}:${item.at}`;
    case "assignment":
      return `assignment:${item.assignment.id}`;
    case "change":
      return `${item.kind}:${item.at}:${item.action}:${item.request_id ?? ""}:${item.changes.map((c) => c.field).join(",")}`;
  }
}

export function Timeline({ items, ctx }: { items: TimelineItem[]; ctx: TimelineContext }) {
  return (
    <section className={styles.card} aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      {items.length === 0 ? (
        <p className={styles.muted}>Nothing has happened to this record yet.</p>
      ) : (
        <ol className={styles.timeline} aria-label="Timeline, newest first">
          {items.map((item) => (
            <li key={keyOf(item)} className={styles.timelineItem}>
              <div className={styles.timelineMeta}>
                <span className={styles[`kind_${item.kind}`] ?? styles.kind}>{KIND_LABEL[item.kind]}</span>
                <time dateTime={item.at}>{clock(item.at)}</time>
              </div>
              <div className={styles.timelineBody}>
                <ItemBody item={item} ctx={ctx} />
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
