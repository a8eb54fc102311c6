/**
 * The calendar editor, for a new calendar and an existing one: name and why it exists, the
 * workspace-default switch, the time zone, the opening hours per weekday (the shared
 * HoursEditor, several spans a day), public holidays (country and region, from the server's
 * date-holidays list) and the calendar's own closed dates — with the live preview beside it.
 *
 * The server decides what is valid. Its problems — from the preview while typing, from a refused
 * save — show next to the field their path names (`hours.tue[1]`, `holidays.region`,
 * `closed_dates[0].name`), with a summary at the top; what was typed is kept. A save over an
 * older version (someone else saved meanwhile: 412) says so and offers to reload theirs.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useId, useRef, useState } from "react";
import { isStale } from "../../api/client";
import { HoursEditor, type HoursProblems } from "../../components/hours/HoursEditor";
import { Field, ui } from "../../components/ui";
import { problemsOf } from "../routing/data";
import { FieldError } from "../routing/FieldError";
import { CalendarPreview, useCalendarPreview } from "./CalendarPreview";
import styles from "./Calendars.module.css";
import { ClosedDates } from "./ClosedDates";
import { bodyOf, type CalendarBody, type CalendarDraft, pathWords } from "./calendar-form";
import { CALENDAR_WRITE_STALES, type Calendar, calendarsQuery, holidayCountriesQuery } from "./data";
import { TimeZoneField } from "./TimeZoneField";

/** What the preview checks (the hours and what closes them); its name problems wait for a save. */
const PREVIEWED = /^(time_zone|hours|holidays|closed_dates)/;

export function CalendarForm({
  initial,
  calendarId,
  save,
  submitLabel,
  onSaved,
  onReload,
  readOnly = false,
}: {
  initial: CalendarDraft;
  /** The calendar being edited; undefined for a new one. */
  calendarId: string | undefined;
  save: (body: CalendarBody) => Promise<Calendar>;
  submitLabel: string;
  onSaved: (c: Calendar) => void;
  /** Read the calendar again and start the form from it (after a 412). */
  onReload?: () => void;
  /** For those who may only read it (not admins): nothing can be changed or saved. */
  readOnly?: boolean;
}) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(initial);
  const update = (patch: Partial<CalendarDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const body = bodyOf(draft);
  const preview = useCalendarPreview(body);
  const mutation = useMutation({
    mutationFn: save,
    onSuccess: async (c) => {
      await Promise.all(CALENDAR_WRITE_STALES.map((queryKey) => queryClient.invalidateQueries({ queryKey: [...queryKey] })));
      onSaved(c);
    },
  });
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (mutation.isError) summary.current?.focus();
  }, [mutation.isError]);
  const stale = isStale(mutation.error);
  const saved = problemsOf(stale ? null : mutation.error);
  const previewed = problemsOf(preview.error);
  /** A save's problems first; the preview's for the parts it checks, as the person types. */
  const problems: HoursProblems = {
    at: (path) => saved?.at(path) ?? (PREVIEWED.test(path) ? previewed?.at(path) : undefined),
  };
  const issues = saved ? ((mutation.error as { problem?: { errors?: { path: string; message: string }[] } }).problem?.errors ?? []) : [];
  const calendars = useQuery(calendarsQuery);
  const currentDefault = calendars.data?.find((c) => c.default && c.id !== calendarId);
  const descriptionError = problems.at("description");

  return (
    <form
      className={styles.page}
      noValidate
      aria-label={calendarId ? "Edit calendar" : "New calendar"}
      onSubmit={(e) => {
        e.preventDefault();
        if (!readOnly) mutation.mutate(body);
      }}
    >
      {stale ? (
        <div role="alert" className={styles.stale} tabIndex={-1} ref={summary}>
          <strong>Not saved: someone else saved this calendar since you opened it.</strong>
          <span>Reload their version to see what they changed, then make your change again. What you typed here is not kept.</span>
          <button type="button" className={ui.secondary} onClick={onReload}>
            Reload their version
          </button>
        </div>
      ) : saved ? (
        <div role="alert" className={ui.alert} tabIndex={-1} ref={summary}>
          <strong>Not saved: {saved.summary}.</strong>
          {issues.length > 0 ? (
            <ul>
              {issues.map((i) => (
                <li key={`${i.path}:${i.message}`}>
                  {pathWords(i.path)}: {i.message}
                </li>
              ))}
            </ul>
          ) : null}
          Each problem is also shown by its field below; what you typed is kept.
        </div>
      ) : null}
      <div className={styles.editor}>
        <fieldset className={styles.sections} disabled={readOnly}>
          <section className={styles.card} aria-labelledby="calendar-about">
            <h2 id="calendar-about">Name and purpose</h2>
            <Field
              id="calendar-name"
              label="Name"
              hint="Teams, people and workflows name the calendar by this, e.g. “Support EU”."
              value={draft.name}
              onChange={(e) => update({ name: e.target.value })}
              error={problems.at("name")}
              required
            />
            <div className={ui.field}>
              <label htmlFor="calendar-description" className={ui.label}>
                Why this calendar exists
              </label>
              <span id="calendar-description-hint" className={ui.hint}>
                Who works these hours, so the next admin knows whether to change it.
              </span>
              <textarea
                id="calendar-description"
                className={styles.textarea}
                value={draft.description}
                onChange={(e) => update({ description: e.target.value })}
                aria-invalid={descriptionError ? true : undefined}
                aria-describedby={descriptionError ? "calendar-description-hint calendar-description-error" : "calendar-description-hint"}
              />
              <FieldError id="calendar-description" message={descriptionError} />
            </div>
            <DefaultSwitch
              checked={draft.default}
              onChange={(v) => update({ default: v })}
              currentDefault={currentDefault?.name}
              error={problems.at("default")}
            />
          </section>
          <section className={styles.card} aria-labelledby="calendar-zone">
            <h2 id="calendar-zone">Time zone</h2>
            <TimeZoneField value={draft.time_zone} onChange={(time_zone) => update({ time_zone })} error={problems.at("time_zone")} />
          </section>
          <section className={styles.card} aria-labelledby="calendar-hours">
            <h2 id="calendar-hours">Opening hours</h2>
            <p id="hours-hint" className={styles.muted}>
              Times are 24-hour (09:00, 17:30) in the calendar’s time zone; 24:00 ends a span at midnight. Give a day two spans for a lunch
              break (09:00 to 12:30 and 13:30 to 18:00). An unticked day is closed; with no day ticked at all the calendar is open around
              the clock (24×7).
            </p>
            <HoursEditor
              path="hours"
              closed="closed"
              hours={draft.hours}
              onChange={(hours) => update({ hours })}
              check={false}
              problems={problems}
            />
          </section>
          <section className={styles.card} aria-labelledby="calendar-holidays">
            <h2 id="calendar-holidays">Holidays and closed dates</h2>
            <HolidayPicker
              value={draft.holidays}
              onChange={(holidays) => update({ holidays })}
              countryError={problems.at("holidays.country") ?? problems.at("holidays")}
              regionError={problems.at("holidays.region")}
            />
            <ClosedDates
              dates={draft.closed_dates}
              onChange={(closed_dates) => update({ closed_dates })}
              errorAt={(path) => problems.at(path)}
            />
          </section>
        </fieldset>
        <CalendarPreview preview={preview} />
      </div>
      {readOnly ? null : (
        <div className={styles.row}>
          <button type="submit" className={ui.button} disabled={mutation.isPending}>
            {mutation.isPending ? "Saving…" : submitLabel}
          </button>
          <Link to="/calendars" className={ui.secondary}>
            Back to the calendars
          </Link>
          <p className={styles.muted} aria-live="polite">
            {mutation.isSuccess && calendarId ? `Saved as version ${mutation.data.version}.` : ""}
          </p>
        </div>
      )}
    </form>
  );
}

function DefaultSwitch({
  checked,
  onChange,
  currentDefault,
  error,
}: {
  checked: boolean;
  onChange: (v: boolean) => void;
  currentDefault: string | undefined;
  error: string | undefined;
}) {
  const id = useId();
  return (
    <div className={ui.field}>
      <div className={styles.switch}>
        <input
          id={id}
          type="checkbox"
          role="switch"
          checked={checked}
          aria-checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
          aria-invalid={error ? true : undefined}
        />
        <label htmlFor={id}>Default calendar of the workspace</label>
      </div>
      <span id={`${id}-hint`} className={ui.hint}>
        Used for everyone whose own and team’s calendar is unset, and by waits on “the workspace calendar”.
        {checked && currentDefault ? ` Saving makes it the default instead of ${currentDefault}.` : ""}
        {!checked && !currentDefault ? " With no default, business time is counted around the clock (24×7)." : ""}
      </span>
      <FieldError id={id} message={error} />
    </div>
  );
}

function HolidayPicker({
  value,
  onChange,
  countryError,
  regionError,
}: {
  value: CalendarDraft["holidays"];
  onChange: (v: CalendarDraft["holidays"]) => void;
  countryError: string | undefined;
  regionError: string | undefined;
}) {
  const countries = useQuery(holidayCountriesQuery);
  const country = countries.data?.find((c) => c.code === value.country);
  const regions = country?.regions ?? [];
  return (
    <div className={styles.row}>
      <div className={ui.field}>
        <label htmlFor="holiday-country" className={ui.label}>
          Public holidays of
        </label>
        <span id="holiday-country-hint" className={ui.hint}>
          The calendar is closed all day on them (the country’s official public holidays).
        </span>
        <select
          id="holiday-country"
          className={styles.wide}
          value={value.country}
          onChange={(e) => onChange({ country: e.target.value, region: "" })}
          aria-invalid={countryError ? true : undefined}
          aria-describedby={countryError ? "holiday-country-hint holiday-country-error" : "holiday-country-hint"}
        >
          <option value="">No public holidays</option>
          {(countries.data ?? []).map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
          {value.country && !country && !countries.data ? <option value={value.country}>{value.country}</option> : null}
        </select>
        <FieldError id="holiday-country" message={countryError} />
      </div>
      {regions.length > 0 ? (
        <div className={ui.field}>
          <label htmlFor="holiday-region" className={ui.label}>
            Region
          </label>
          <span id="holiday-region-hint" className={ui.hint}>
            Adds the region’s own public holidays.
          </span>
          <select
            id="holiday-region"
            className={styles.wide}
            value={value.region}
            onChange={(e) => onChange({ ...value, region: e.target.value })}
            aria-invalid={regionError ? true : undefined}
            aria-describedby={regionError ? "holiday-region-hint holiday-region-error" : "holiday-region-hint"}
          >
            <option value="">The whole country</option>
            {regions.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </select>
          <FieldError id="holiday-region" message={regionError} />
        </div>
      ) : null}
    </div>
  );
}
