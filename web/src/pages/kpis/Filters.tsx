/**
 * The KPI pages' filters, written to the URL as they change (so a view can be shared): the
 * period (a preset or two dates), the object counted, an owner or a team, and a workflow with its
 * version and whether the records it handled or the others are counted. The lists come from the
 * people, teams and workflows endpoints.
 */
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { ErrorMessage, ui } from "../../components/ui";
import { objectsQuery } from "../../records/model";
import { peopleQuery, teamsQuery, workflowsQuery } from "./data";
import styles from "./Kpis.module.css";
import { type KpiSearch, MAX_HOURLY_DAYS, PERIODS, type Period, periodDays, periodLength, readKpiSearch } from "./kpi-search";
import { dayText } from "./words";

/** Objects whose records people and workflows work on (users and teams are the cut, not the counted). */
const COUNTED = new Set(["user", "team"]);

export function KpiFilters({
  search,
  onChange,
  now,
  showObject = true,
}: {
  search: KpiSearch;
  onChange: (next: KpiSearch) => void;
  now: number;
  showObject?: boolean;
}) {
  const id = useId();
  const people = useQuery(peopleQuery);
  const teams = useQuery(teamsQuery);
  const workflows = useQuery(workflowsQuery);
  const objects = useQuery(objectsQuery);
  const set = (patch: Partial<Record<keyof KpiSearch, unknown>>) => {
    const next: Record<string, unknown> = { ...search, ...patch };
    for (const k of Object.keys(patch)) if (patch[k as keyof KpiSearch] === undefined || patch[k as keyof KpiSearch] === "") delete next[k];
    onChange(readKpiSearch(next));
  };
  const days = periodDays(search, now);
  const hourlyAllowed = periodLength(search, now) <= MAX_HOURLY_DAYS;
  const workflow = workflows.data?.find((w) => w.id === search.workflow);
  const versions = workflow ? Array.from({ length: workflow.latest_version }, (_, i) => i + 1) : [];
  return (
    <section className={styles.filters} aria-label="Filters">
      <div className={styles.filterRow}>
        <div className={styles.filter}>
          <label htmlFor={`${id}-period`}>Period</label>
          <select
            id={`${id}-period`}
            className={ui.input}
            value={String(search.period ?? 30)}
            onChange={(e) => {
              const p: Period = e.target.value === "custom" ? "custom" : (Number(e.target.value) as Period);
              // Choosing dates starts from the period shown, so nothing jumps.
              set(
                p === "custom"
                  ? { period: p, from: days.from, to: days.to }
                  : { period: p === 30 ? undefined : p, from: undefined, to: undefined },
              );
            }}
          >
            {PERIODS.map((p) => (
              <option key={p} value={p}>
                {p === 1 ? "Today" : `Last ${p} days`}
              </option>
            ))}
            <option value="custom">Choose dates…</option>
          </select>
        </div>
        {search.period === "custom" ? (
          <>
            <div className={styles.filter}>
              <label htmlFor={`${id}-from`}>From</label>
              <input
                id={`${id}-from`}
                type="date"
                className={ui.input}
                value={search.from ?? days.from}
                onChange={(e) => set({ from: e.target.value || undefined })}
              />
            </div>
            <div className={styles.filter}>
              <label htmlFor={`${id}-to`}>To (included)</label>
              <input
                id={`${id}-to`}
                type="date"
                className={ui.input}
                value={search.to ?? days.to}
                onChange={(e) => set({ to: e.target.value || undefined })}
              />
            </div>
          </>
        ) : null}
        <div className={styles.filter}>
          <label htmlFor={`${id}-points`}>Chart points</label>
          <select
            id={`${id}-points`}
            aria-describedby={`${id}-points-words`}
            className={ui.input}
            value={search.by === "hour" && hourlyAllowed ? "hour" : "day"}
            onChange={(e) => set({ by: e.target.value === "hour" ? "hour" : undefined })}
          >
            <option value="day">One per day</option>
            <option value="hour" disabled={!hourlyAllowed}>
              One per hour
            </option>
          </select>
        </div>
        {showObject ? (
          <div className={styles.filter}>
            <label htmlFor={`${id}-object`}>Records counted</label>
            <select
              id={`${id}-object`}
              aria-describedby={`${id}-period-words`}
              className={ui.input}
              value={search.object ?? "lead"}
              onChange={(e) => set({ object: e.target.value === "lead" ? undefined : e.target.value })}
            >
              {(objects.data ?? [{ name: "lead", label: "Lead", plural: "leads", fields: [] }])
                .filter((o) => !COUNTED.has(o.name))
                .map((o) => (
                  <option key={o.name} value={o.name}>
                    {o.plural.charAt(0).toUpperCase() + o.plural.slice(1).replace(/_/g, " ")}
                  </option>
                ))}
            </select>
          </div>
        ) : null}
        <div className={styles.filter}>
          <label htmlFor={`${id}-owner`}>Owner</label>
          <select id={`${id}-owner`} className={ui.input} value={search.owner ?? ""} onChange={(e) => set({ owner: e.target.value })}>
            <option value="">Anyone</option>
            {(people.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className={styles.filter}>
          <label htmlFor={`${id}-team`}>Owner's team</label>
          <select id={`${id}-team`} className={ui.input} value={search.team ?? ""} onChange={(e) => set({ team: e.target.value })}>
            <option value="">Any team</option>
            {(teams.data ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className={styles.filterRow}>
        <div className={styles.filter}>
          <label htmlFor={`${id}-workflow`}>Workflow</label>
          <select
            id={`${id}-workflow`}
            className={ui.input}
            value={search.workflow ?? ""}
            onChange={(e) => set({ workflow: e.target.value, version: undefined, handled: undefined })}
          >
            <option value="">Any (no workflow chosen)</option>
            {(workflows.data ?? []).map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </div>
        {search.workflow ? (
          <>
            <div className={styles.filter}>
              <label htmlFor={`${id}-version`}>Version</label>
              <select
                id={`${id}-version`}
                className={ui.input}
                value={search.version === undefined ? "" : String(search.version)}
                onChange={(e) => set({ version: e.target.value ? Number(e.target.value) : undefined })}
              >
                <option value="">Every version</option>
                {versions.map((v) => (
                  <option key={v} value={v}>
                    Version {v}
                  </option>
                ))}
              </select>
            </div>
            <div className={styles.filter}>
              <label htmlFor={`${id}-handled`}>Records</label>
              <select
                id={`${id}-handled`}
                className={ui.input}
                value={search.handled === false ? "false" : "true"}
                onChange={(e) => set({ handled: e.target.value === "false" ? false : undefined })}
              >
                <option value="true">Handled by this workflow</option>
                <option value="false">Not handled by this workflow</option>
              </select>
            </div>
          </>
        ) : null}
      </div>
      <p className={styles.period} id={`${id}-period-words`}>
        Showing {dayText(days.from)} to {dayText(days.to)} (whole days, UTC).{" "}
        <span id={`${id}-points-words`}>
          {hourlyAllowed
            ? search.by === "hour"
              ? "A point per hour (UTC). "
              : ""
            : `A point per hour needs a period of at most ${MAX_HOURLY_DAYS} days. `}
        </span>
        {showObject
          ? "Lead response time always counts leads and deal cycle time deals; “Records counted” chooses what the others count (overrides and the failure rate: every workflow's)."
          : ""}
      </p>
      {people.error ? <ErrorMessage error={people.error} what="the people to choose from" /> : null}
      {teams.error ? <ErrorMessage error={teams.error} what="the teams to choose from" /> : null}
      {workflows.error ? <ErrorMessage error={workflows.error} what="the workflows to choose from" /> : null}
    </section>
  );
}
