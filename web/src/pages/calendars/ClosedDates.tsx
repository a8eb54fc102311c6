/**
 * The calendar's own closed dates (an office party, the days between Christmas and New Year):
 * each with its date and reason, removed one by one; a new one added from a date picker and a
 * reason. The server's problems (`closed_dates[i].date`, `closed_dates[i].name`) show by the date
 * they name; focus goes back to the date picker after adding or removing.
 */
import { useRef, useState } from "react";
import { ui } from "../../components/ui";
import styles from "./Calendars.module.css";
import { type ClosedDateDraft, closedKey } from "./calendar-form";

const longDate = (date: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(date)
    ? new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(
        new Date(`${date}T12:00:00Z`),
      )
    : date;

export function ClosedDates({
  dates,
  onChange,
  errorAt,
}: {
  dates: ClosedDateDraft[];
  onChange: (next: ClosedDateDraft[]) => void;
  errorAt: (path: string) => string | undefined;
}) {
  const [date, setDate] = useState("");
  const [reason, setReason] = useState("");
  const dateInput = useRef<HTMLInputElement>(null);
  const listError = dates.some((_, i) => errorAt(`closed_dates[${i}]`)) ? undefined : errorAt("closed_dates");
  return (
    <div className={ui.field}>
      <h3 className={ui.label}>Own closed dates</h3>
      <span className={ui.hint}>Days the calendar is closed besides public holidays, each with its reason; read in its time zone.</span>
      {dates.length === 0 ? <p className={styles.muted}>None.</p> : null}
      {dates.length > 0 ? (
        <ul className={styles.closedList} aria-label="Own closed dates">
          {dates.map((d, i) => {
            const error = errorAt(`closed_dates[${i}]`);
            return (
              <li key={d.key} className={styles.closedItem}>
                <span>
                  <strong>{longDate(d.date)}</strong> — {d.name || <em>no reason given</em>}
                </span>
                <button
                  type="button"
                  className={styles.small}
                  onClick={() => {
                    onChange(dates.filter((x) => x.key !== d.key));
                    dateInput.current?.focus();
                  }}
                >
                  Remove{" "}
                  <span className="visually-hidden">
                    closed date {longDate(d.date)} ({d.name})
                  </span>
                </button>
                {error ? <span className={styles.fieldError}>{error}</span> : null}
              </li>
            );
          })}
        </ul>
      ) : null}
      {listError ? <span className={styles.fieldError}>{listError}</span> : null}
      <div className={styles.row}>
        <div className={ui.field}>
          <label htmlFor="closed-date" className={ui.label}>
            Date
          </label>
          <input ref={dateInput} id="closed-date" type="date" className={ui.input} value={date} onChange={(e) => setDate(e.target.value)} />
        </div>
        <div className={ui.field}>
          <label htmlFor="closed-reason" className={ui.label}>
            Reason
          </label>
          <input
            id="closed-reason"
            className={ui.input}
            value={reason}
            placeholder="Company offsite"
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
        <button
          type="button"
          className={ui.secondary}
          disabled={!date || !reason.trim()}
          onClick={() => {
            onChange([...dates, { key: closedKey(), date, name: reason.trim() }].sort((a, b) => a.date.localeCompare(b.date)));
            setDate("");
            setReason("");
            dateInput.current?.focus();
          }}
        >
          Add closed date
        </button>
      </div>
    </div>
  );
}
