/**
 * What the hours mean, live: the unsaved form sent to `POST /calendars/preview` (debounced, the
 * answer kept on screen while the next one loads) and shown as the next two weeks, one line a day
 * in the calendar's zone — its openings, or closed, with the holiday or own closed date named —
 * under when it next opens. A form the server refuses shows why here and by the fields.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ApiError } from "../../api/client";
import styles from "./Calendars.module.css";
import { type CalendarBody, dateWords, nextOpeningWords, openingsByDay, pathWords } from "./calendar-form";
import { previewCalendar } from "./data";

export const PREVIEW_DAYS = 14;
const DEBOUNCE_MS = 350;

/** The preview of the form as it stands, asked for once typing pauses. */
export function useCalendarPreview(body: CalendarBody) {
  // The name does not change what the hours mean: an unnamed new calendar is previewed all the same.
  const text = JSON.stringify({ ...body, name: body.name.trim() || "Unsaved calendar" });
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  return useQuery({
    queryKey: ["calendars", "preview", settled],
    queryFn: ({ signal }) => previewCalendar(JSON.parse(settled) as CalendarBody, PREVIEW_DAYS, signal),
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 60_000,
  });
}

export function CalendarPreview({ preview }: { preview: ReturnType<typeof useCalendarPreview> }) {
  const data = preview.data;
  const issues = preview.error instanceof ApiError ? (preview.error.problem?.errors ?? []) : [];
  const days = data ? openingsByDay(data, PREVIEW_DAYS) : [];
  return (
    <aside className={styles.preview} aria-labelledby="preview-heading">
      <h2 id="preview-heading">What these hours mean</h2>
      <p className={styles.muted}>
        The next two weeks as the form stands{data ? `, in ${data.time_zone} time` : ""} — before you save. Updated as you type.
      </p>
      {preview.error ? (
        <div role="status" className={styles.fieldError}>
          {issues.length > 0 ? (
            <>
              The preview waits for the form to be right:
              <ul>
                {issues.map((i) => (
                  <li key={`${i.path}:${i.message}`}>
                    {pathWords(i.path)}: {i.message}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            `No preview: ${preview.error.message}`
          )}
        </div>
      ) : null}
      {data ? (
        <>
          <p className={styles.next} aria-live="polite" data-testid="next-opening">
            {nextOpeningWords(data)}
          </p>
          <ol className={styles.days} aria-label="The next two weeks">
            {days.map((d) => (
              <li key={d.date} className={styles.day}>
                <span className={styles.dayName}>{dateWords(d.date)}</span>
                <span>
                  {d.holidays.length > 0 ? (
                    <span className={styles.holiday}>
                      Closed: {d.holidays.map((h) => `${h.name} (${h.source === "own" ? "own closed date" : "public holiday"})`).join(", ")}
                    </span>
                  ) : d.spans.length === 0 ? (
                    <span className={styles.closed}>Closed</span>
                  ) : d.spans.length === 1 && d.spans[0]?.from === "00:00" && d.spans[0].until === "24:00" ? (
                    "Open all day"
                  ) : (
                    d.spans.map((s, i) => (
                      <span key={s.from} className={styles.nowrap}>
                        {s.from}–{s.until}
                        {i < d.spans.length - 1 ? ", " : ""}
                      </span>
                    ))
                  )}
                </span>
              </li>
            ))}
          </ol>
        </>
      ) : preview.isPending ? (
        <p aria-live="polite">Working out the openings…</p>
      ) : null}
    </aside>
  );
}
