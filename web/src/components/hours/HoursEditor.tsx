/**
 * Opening or working hours per weekday — My availability's working hours and a business
 * calendar's opening hours: every span of every weekday, each with its from and until, added and
 * removed one by one, and Monday's copied to Tuesday–Friday in one go. A span's problem (checked
 * here before saving when `check` is on, or the API's at `<path>.<day>[i]`) shows under that span,
 * linked to its inputs; a problem of a whole day (`<path>.<day>`) under the day, and one of the
 * field (`<path>`) under the section. Focus follows: a new span's first input, the day's Add
 * button after a removal. `hintId` names the page's explanation of the times, which every time
 * input is described by.
 */
import { useEffect, useState } from "react";
import w from "./Hours.module.css";
import { copyMondayToWeekdays, DAYS, type Day, type Hours, MAX_SPANS, nextSpan, type Span, spanProblems } from "./hours";

/** The server's messages by the path they name (routing's and the calendars' `Problems` both fit). */
export interface HoursProblems {
  at(path: string): string | undefined;
}

const spanId = (day: Day, i: number, part: "from" | "until") => `hours-${day}-${i}-${part}`;
const addId = (day: Day) => `hours-${day}-add`;

/** The field-level message, shown only when no day or span of the hours claims one. */
function sectionProblem(problems: HoursProblems | null, path: string): string | undefined {
  if (!problems || DAYS.some(([day]) => problems.at(`${path}.${day}`))) return undefined;
  return problems.at(path);
}

export function HoursEditor({
  hours,
  onChange,
  check,
  problems,
  path,
  hintId = "hours-hint",
  closed = "day off",
}: {
  hours: Hours;
  onChange: (next: Hours) => void;
  /** Show the spans' own problems (once a save has been tried). */
  check: boolean;
  /** The API's refusal of the last save (or of the live preview). */
  problems: HoursProblems | null;
  /** Where the API reports the hours' problems: `working_hours` (availability), `hours` (a calendar). */
  path: string;
  /** The id of the page's explanation of the times. */
  hintId?: string;
  /** A day without spans in the page's words: "day off" (a person), "closed" (a calendar). */
  closed?: "day off" | "closed";
}) {
  const [focus, setFocus] = useState<string | null>(null);
  const [copied, setCopied] = useState("");
  useEffect(() => {
    if (focus) document.getElementById(focus)?.focus();
    setFocus(null);
  }, [focus]);
  const setSpans = (day: Day, spans: Span[]) => {
    const next: Hours = { ...hours };
    if (spans.length > 0) next[day] = spans;
    else delete next[day];
    onChange(next);
    setCopied("");
  };
  const fieldProblem = sectionProblem(problems, path);

  return (
    <>
      <div className={w.days}>
        {DAYS.map(([day, label]) => {
          const spans = hours[day] ?? [];
          const local = check ? spanProblems(spans) : [];
          const serverSpan = (i: number) => problems?.at(`${path}.${day}[${i}]`);
          const claimed = spans.some((_, i) => serverSpan(i));
          const dayProblem = claimed ? undefined : problems?.at(`${path}.${day}`);
          return (
            <fieldset key={day} className={w.day}>
              <legend className={w.dayName}>
                <label className={w.check}>
                  <input
                    type="checkbox"
                    checked={spans.length > 0}
                    onChange={(e) => {
                      setSpans(day, e.target.checked ? [nextSpan([])] : []);
                      if (e.target.checked) setFocus(spanId(day, 0, "from"));
                    }}
                  />
                  {label}
                </label>
              </legend>
              <div className={w.spans}>
                {spans.length === 0 ? <p className={w.muted}>{closed === "closed" ? "Closed" : "Day off"}</p> : null}
                {spans.length > 0 ? (
                  <ol className={w.spanList} aria-label={`${label} spans`}>
                    {spans.map(([from, until], i) => {
                      const error = local[i] ?? serverSpan(i);
                      const errorId = `hours-${day}-${i}-error`;
                      const replace = (span: Span) =>
                        setSpans(
                          day,
                          spans.map((s, j) => (j === i ? span : s)),
                        );
                      const input = (part: "from" | "until", value: string, set: (v: string) => Span) => (
                        <label className={w.time}>
                          <span className="visually-hidden">
                            {label}, span {i + 1}, {part}
                          </span>
                          <input
                            id={spanId(day, i, part)}
                            className={w.timeInput}
                            value={value}
                            size={5}
                            maxLength={5}
                            autoComplete="off"
                            placeholder={part === "from" ? "09:00" : "17:00"}
                            aria-invalid={error ? true : undefined}
                            aria-describedby={error ? `${hintId} ${errorId}` : hintId}
                            onChange={(e) => replace(set(e.target.value))}
                          />
                        </label>
                      );
                      return (
                        // biome-ignore lint/suspicious/noArrayIndexKey: a span is its place in the day; its inputs are controlled
                        <li key={i} className={w.span}>
                          <div className={w.spanRow}>
                            {input("from", from, (v) => [v, until])}
                            <span aria-hidden="true">to</span>
                            {input("until", until, (v) => [from, v])}
                            <button
                              type="button"
                              className={w.small}
                              onClick={() => {
                                setSpans(
                                  day,
                                  spans.filter((_, j) => j !== i),
                                );
                                setFocus(addId(day));
                              }}
                            >
                              Remove{" "}
                              <span className="visually-hidden">
                                {label} {from}–{until}
                              </span>
                            </button>
                          </div>
                          {error ? (
                            <span id={errorId} className={w.fieldError}>
                              {error}
                            </span>
                          ) : null}
                        </li>
                      );
                    })}
                  </ol>
                ) : null}
                <div className={w.dayActions}>
                  <button
                    type="button"
                    id={addId(day)}
                    className={w.small}
                    disabled={spans.length >= MAX_SPANS}
                    onClick={() => {
                      setSpans(day, [...spans, nextSpan(spans)]);
                      setFocus(spanId(day, spans.length, "from"));
                    }}
                  >
                    Add a span <span className="visually-hidden">on {label}</span>
                  </button>
                  {day === "mon" ? (
                    <button
                      type="button"
                      className={w.small}
                      onClick={() => {
                        onChange(copyMondayToWeekdays(hours));
                        setCopied(
                          spans.length > 0
                            ? "Tuesday to Friday now have Monday's hours."
                            : closed === "closed"
                              ? "Monday is closed: so are Tuesday to Friday now."
                              : "Monday is a day off: so are Tuesday to Friday now.",
                        );
                      }}
                    >
                      Copy Monday to weekdays
                    </button>
                  ) : null}
                  {spans.length >= MAX_SPANS ? <span className={w.muted}>Six spans at most a day.</span> : null}
                  {day === "mon" ? (
                    <span aria-live="polite" className={w.muted}>
                      {copied}
                    </span>
                  ) : null}
                </div>
                {dayProblem ? <span className={w.fieldError}>{dayProblem}</span> : null}
              </div>
            </fieldset>
          );
        })}
      </div>
      {fieldProblem ? <span className={w.fieldError}>{fieldProblem}</span> : null}
    </>
  );
}
