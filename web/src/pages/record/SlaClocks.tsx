/**
 * The record's SLA clocks (GET /api/v1/{objects}/{id}/sla), beside the Automation panel: per clock
 * the policy (a link to it), the status as a badge (word and shape), business time left and the
 * due instant in the reader's locale, the calendar it is measured on, "paused since …" or
 * "breached … ago", the next milestone, and its history behind a disclosure button. Refreshed by
 * the page's polling; the countdown ticks locally between polls where it safely can (leftAt).
 */
import { Link } from "@tanstack/react-router";
import { useId, useState } from "react";
import { ClockBadge } from "../sla/ClockBadge";
import styles from "../sla/Clocks.module.css";
import {
  breachedAt,
  businessDuration,
  calendarWords,
  fullInstant,
  historyInstant,
  historyWords,
  instant,
  leftAt,
  milestoneWords,
  pausedSince,
  type SlaClock,
  STATUS_MEANING,
  wallDuration,
} from "../sla/clock-words";
import { useNow } from "../sla/use-now";
import card from "./RecordPage.module.css";

function Time({ iso, now }: { iso: string; now: number }) {
  return (
    <time dateTime={iso} title={fullInstant(iso)}>
      {instant(iso, now)}
    </time>
  );
}

/** The line under the policy: what the clock says now. */
function Reading({ clock, readAt, now }: { clock: SlaClock; readAt: number; now: number }) {
  const left = leftAt(clock, readAt, now);
  switch (clock.status) {
    case "running":
    case "warning":
      return (
        <p className={styles.countdown} data-testid="countdown">
          {left > 0 ? `${businessDuration(left)} of business time left` : "Target reached now"}
          {clock.due_at ? (
            <>
              {" "}
              · due <Time iso={clock.due_at} now={now} />
            </>
          ) : null}
        </p>
      );
    case "paused": {
      const since = pausedSince(clock.history);
      return (
        <p className={styles.countdown} data-testid="countdown">
          Paused
          {since ? (
            <>
              {" "}
              since <Time iso={since.at} now={now} />
            </>
          ) : null}{" "}
          · {businessDuration(clock.left_ms)} of business time left when it resumes
        </p>
      );
    }
    case "breached": {
      const at = breachedAt(clock.history);
      return (
        <p className={styles.countdown} data-testid="countdown">
          {at ? (
            <>
              Breached {wallDuration(Date.parse(at), now)} ago (due <Time iso={at} now={now} />)
            </>
          ) : (
            "Breached"
          )}{" "}
          · {businessDuration(clock.left_ms)} of business time over the target
        </p>
      );
    }
    case "met":
    case "missed":
    case "cancelled":
      return (
        <p className={styles.countdown} data-testid="countdown">
          {clock.status === "met"
            ? `Met with ${businessDuration(clock.left_ms)} of business time to spare`
            : clock.status === "missed"
              ? `Missed by ${businessDuration(clock.left_ms)} of business time`
              : "Cancelled: the policy no longer applied"}
          {clock.stopped_at ? (
            <>
              {" "}
              · stopped <Time iso={clock.stopped_at} now={now} />
            </>
          ) : null}
        </p>
      );
  }
}

function ClockItem({ clock, readAt, now }: { clock: SlaClock; readAt: number; now: number }) {
  const [open, setOpen] = useState(false);
  const historyId = useId();
  const next = clock.next_milestone;
  return (
    <li className={styles.clock} data-status={clock.status} aria-label={`${clock.policy.name}: ${clock.status}`}>
      <div className={styles.clockHead}>
        <Link to="/sla/policies/$name" params={{ name: clock.policy.name }} className={styles.policyName}>
          {clock.policy.name}
        </Link>
        <span>
          <ClockBadge status={clock.status} /> <span className={styles.muted}>{STATUS_MEANING[clock.status]}</span>
        </span>
      </div>
      <Reading clock={clock} readAt={readAt} now={now} />
      <p className={styles.muted}>
        {calendarWords(clock.calendar)}
        {next && clock.phase === "running" ? (
          <>
            {" "}
            · next: {milestoneWords(next.key, next.level)} at <Time iso={next.due_at} now={now} />
          </>
        ) : null}
      </p>
      <button type="button" className={styles.toggle} aria-expanded={open} aria-controls={historyId} onClick={() => setOpen(!open)}>
        {open ? "Hide history" : `Show history (${clock.history.length})`}
      </button>
      <ol id={historyId} className={styles.history} hidden={!open} aria-label={`History of ${clock.policy.name}`}>
        {clock.history.map((h) => {
          const { at, lateMs } = historyInstant(h);
          return (
            <li key={h.seq}>
              <time dateTime={at}>{fullInstant(at)}</time>
              {historyWords(h)}
              {lateMs >= 60_000 ? ` (recorded ${businessDuration(lateMs)} later)` : ""}
            </li>
          );
        })}
      </ol>
    </li>
  );
}

export function SlaClocks({ clocks, readAt, objectLabel }: { clocks: SlaClock[]; readAt: number; objectLabel: string }) {
  const now = useNow();
  return (
    <section className={card.card} aria-labelledby="sla-heading" data-testid="sla">
      <h2 id="sla-heading">SLA</h2>
      {clocks.length === 0 ? (
        <p className={card.muted}>
          No SLA applies to this {objectLabel.toLowerCase()}. <Link to="/sla/policies">See the SLA policies</Link> for what gets a clock.
        </p>
      ) : (
        <ul className={styles.clocks} aria-label="SLA clocks">
          {clocks.map((c) => (
            <ClockItem key={c.id} clock={c} readAt={readAt} now={Math.max(now, readAt)} />
          ))}
        </ul>
      )}
    </section>
  );
}
