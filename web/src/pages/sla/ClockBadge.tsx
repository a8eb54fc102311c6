/**
 * An SLA clock's status as a badge: a word and a shape, never colour alone — a clock face
 * (running), two bars (paused), a triangle (warning), an octagon (breached), a tick (met), a
 * cross (missed), a dash (cancelled). Text colours keep WCAG AA contrast on their backgrounds.
 */
import type { ReactNode } from "react";
import styles from "./Clocks.module.css";
import { type ClockStatus, STATUS_WORDS } from "./clock-words";

const ICONS: Record<ClockStatus, ReactNode> = {
  running: (
    <>
      <circle cx="8" cy="8" r="6.25" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d="M8 4.5V8l2.5 1.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
    </>
  ),
  paused: (
    <>
      <rect x="4" y="3" width="2.75" height="10" rx="0.5" fill="currentColor" />
      <rect x="9.25" y="3" width="2.75" height="10" rx="0.5" fill="currentColor" />
    </>
  ),
  warning: (
    <>
      <path d="M8 1.75 15 14H1z" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
      <path d="M8 6v3.5" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
      <circle cx="8" cy="11.75" r="0.9" fill="currentColor" />
    </>
  ),
  breached: (
    <>
      <path d="M5.2 1h5.6L15 5.2v5.6L10.8 15H5.2L1 10.8V5.2z" fill="currentColor" />
      <path d="M8 4.25v4.5" stroke="#fff" strokeWidth="1.75" strokeLinecap="round" />
      <circle cx="8" cy="11.5" r="1" fill="#fff" />
    </>
  ),
  met: <path d="M2.5 8.5 6.5 12.5 13.5 4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />,
  missed: <path d="M3.5 3.5l9 9M12.5 3.5l-9 9" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />,
  cancelled: <path d="M3 8h10" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />,
};

export function ClockBadge({ status }: { status: ClockStatus }) {
  return (
    <span className={`${styles.badge} ${styles[status]}`} data-status={status}>
      <svg className={styles.icon} viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
        {ICONS[status]}
      </svg>
      {STATUS_WORDS[status]}
    </span>
  );
}
