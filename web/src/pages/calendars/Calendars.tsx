/**
 * Business calendars (`/calendars`): each calendar's name (with the workspace's default marked),
 * why it exists, its zone, its hours in one line, what closes it (public holidays, its own closed
 * dates) and the teams and people who name it. Everyone reads it; admins get New calendar and Edit.
 * No calendar yet: what a calendar is for, and what Handoff does without one.
 */
import { useQuery } from "@tanstack/react-query";
import { Link, useRouteContext } from "@tanstack/react-router";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../../components/ui";
import styles from "./Calendars.module.css";
import { holidaysWords, hoursWords } from "./calendar-form";
import { type CalendarUse, calendarsQuery, calendarUsesQuery, holidayCountriesQuery, mayEditCalendars } from "./data";

const list = (names: string[]) => (names.length <= 3 ? names.join(", ") : `${names.slice(0, 3).join(", ")} and ${names.length - 3} more`);

function usesWords(use: CalendarUse | undefined): string {
  if (!use || (use.teams.length === 0 && use.users.length === 0)) return "No team or person names it";
  return [
    use.teams.length > 0 ? `${use.teams.length === 1 ? "Team" : "Teams"} ${list(use.teams)}` : "",
    use.users.length > 0 ? `${use.users.length === 1 ? "Person" : "People"}: ${list(use.users)}` : "",
  ]
    .filter(Boolean)
    .join("; ");
}

export function Calendars() {
  const { session } = useRouteContext({ from: "/app" });
  const edit = mayEditCalendars(session.user.role);
  const calendars = useQuery(calendarsQuery);
  const countries = useQuery(holidayCountriesQuery);
  const uses = useQuery(calendarUsesQuery);
  const hasDefault = calendars.data?.some((c) => c.default);
  return (
    <div className={styles.page}>
      <PageHeader title="Business calendars">
        A business calendar says when your team is open: opening hours per weekday in a time zone, minus public holidays and your own closed
        days. Workflows wait in business time on one (“4 business hours on the owner’s calendar”), and SLA targets will be measured on them.
      </PageHeader>
      {edit ? (
        <div>
          <Link to="/calendars/new" className={ui.button}>
            New calendar
          </Link>
        </div>
      ) : (
        <p className={styles.muted}>Only admins change calendars; you can read them here.</p>
      )}
      {calendars.error ? <ErrorMessage error={calendars.error} what="the calendars" /> : null}
      {calendars.isPending ? <p aria-live="polite">Loading calendars…</p> : null}
      {calendars.data?.length === 0 ? (
        <EmptyState title="No business calendars yet">
          Until there is one, business time is counted around the clock (24×7) in the workspace’s time zone.{" "}
          {edit
            ? "Create one with New calendar — say Monday to Friday 09:00–17:30 with your country’s public holidays — and make it the workspace’s default; then give a team or a person their own where their hours differ."
            : "An admin creates them; ask one to set up your team’s hours."}
        </EmptyState>
      ) : null}
      {calendars.data && calendars.data.length > 0 ? (
        <>
          {!hasDefault ? (
            <p className={styles.note}>
              No calendar is the workspace’s default: people and teams without their own calendar are counted as open 24×7.
            </p>
          ) : null}
          <div className={styles.tableFrame}>
            <table className={ui.table} aria-label="Business calendars">
              <thead>
                <tr>
                  <th scope="col">Calendar</th>
                  <th scope="col">Time zone</th>
                  <th scope="col">Opening hours</th>
                  <th scope="col">Closed on</th>
                  <th scope="col">Used by</th>
                </tr>
              </thead>
              <tbody>
                {calendars.data.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link to="/calendars/$id" params={{ id: c.id }} className={styles.name}>
                        {c.name}
                      </Link>
                      {c.default ? <span className={ui.badge}> Workspace default</span> : null}
                      {c.description ? <p className={styles.muted}>{c.description}</p> : null}
                    </td>
                    <td>{c.time_zone}</td>
                    <td>{hoursWords(c.hours)}</td>
                    <td>
                      {holidaysWords(c.holidays, countries.data)}
                      {c.closed_dates.length > 0
                        ? `, and ${c.closed_dates.length} own closed date${c.closed_dates.length === 1 ? "" : "s"}`
                        : ""}
                    </td>
                    <td>{uses.data ? usesWords(uses.data.get(c.name)) : uses.error ? "—" : "…"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </div>
  );
}
