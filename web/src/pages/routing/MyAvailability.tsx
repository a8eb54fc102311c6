/**
 * My availability: whether routing may give me records now, my time zone, the hours I work per
 * weekday (every span of each day: components/hours/HoursEditor), and my PTO. Working hours are checked
 * before saving (nothing is sent while a span is wrong); the API's problems show next to the
 * field they name. Admins and managers also see the team's availability.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouteContext } from "@tanstack/react-router";
import { useEffect, useRef, useState } from "react";
import { api, unwrap } from "../../api/client";
import { HoursEditor } from "../../components/hours/HoursEditor";
import { DAYS, type Hours, hoursToSend, hoursValid, type Span } from "../../components/hours/hours";
import { ErrorMessage, PageHeader, ui } from "../../components/ui";
import { type Availability, availabilityQuery, mayManageRouting, problemsOf, teamAvailabilityQuery } from "./data";
import { FieldError } from "./FieldError";
import styles from "./Routing.module.css";

type Period = Availability["pto"][number];

/** The API's hours as the editor keeps them: the known days, each span as a pair. */
const hoursFrom = (api: Availability["working_hours"]): Hours =>
  Object.fromEntries(DAYS.flatMap(([day]) => (api?.[day] ? [[day, api[day].map(([a, b]): Span => [a ?? "", b ?? ""])]] : [])));

const dateOf = (iso: string) => iso.slice(0, 10);
const ptoWords = (p: Period) => `${new Date(p.start).toLocaleDateString()} to ${new Date(p.end).toLocaleDateString()}`;

export function MyAvailability() {
  const { session } = useRouteContext({ from: "/app" });
  const queryClient = useQueryClient();
  const mine = useQuery(availabilityQuery("me"));
  const [availableNow, setAvailableNow] = useState(true);
  const [timeZone, setTimeZone] = useState("");
  const [hours, setHours] = useState<Hours>({});
  const [pto, setPto] = useState<Period[]>([]);
  const [newStart, setNewStart] = useState("");
  const [newEnd, setNewEnd] = useState("");
  /** Set once a save was tried: from then on the spans' problems show as they are fixed. */
  const [checkHours, setCheckHours] = useState(false);
  const [hoursRefused, setHoursRefused] = useState(false);
  const refusal = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (!mine.data) return;
    setAvailableNow(mine.data.available_now);
    setTimeZone(mine.data.time_zone);
    setHours(hoursFrom(mine.data.working_hours));
    setPto(mine.data.pto);
  }, [mine.data]);
  useEffect(() => {
    if (hoursRefused) refusal.current?.focus();
  }, [hoursRefused]);
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PATCH("/api/v1/routing/availability/{user}", {
          params: { path: { user: "me" } },
          body: { available_now: availableNow, time_zone: timeZone, working_hours: hoursToSend(hours), pto },
        }),
      ),
    onSuccess: (data) => {
      queryClient.setQueryData(availabilityQuery("me").queryKey, data);
      void queryClient.invalidateQueries({ queryKey: ["routing", "availability"] });
    },
  });
  const problems = problemsOf(save.error);

  if (mine.error) return <ErrorMessage error={mine.error} what="your availability" />;
  if (!mine.data) return <p aria-live="polite">Loading your availability…</p>;
  return (
    <div className={styles.page}>
      <PageHeader title="My availability">
        Routing gives you new records only while you are available, inside your working hours and not on PTO.
      </PageHeader>
      <form
        className={styles.page}
        onSubmit={(e) => {
          e.preventDefault();
          setCheckHours(true);
          // A wrong span is shown by the span and nothing is sent: no half-saved availability.
          const valid = hoursValid(hours);
          setHoursRefused(!valid);
          if (valid) save.mutate();
          else save.reset();
        }}
      >
        <section className={styles.card} aria-labelledby="now-heading">
          <h2 id="now-heading">Now</h2>
          <label className={styles.check}>
            <input type="checkbox" checked={availableNow} onChange={(e) => setAvailableNow(e.target.checked)} />
            Available for new records now
          </label>
          <div className={ui.field}>
            <label htmlFor="time-zone" className={ui.label}>
              Time zone
            </label>
            <span id="time-zone-hint" className={ui.hint}>
              An IANA name such as Europe/Paris; your working hours are read in it.
            </span>
            <input
              id="time-zone"
              className={ui.input}
              value={timeZone}
              onChange={(e) => setTimeZone(e.target.value)}
              aria-invalid={problems?.at("time_zone") ? true : undefined}
              aria-describedby={problems?.at("time_zone") ? "time-zone-hint time-zone-error" : "time-zone-hint"}
            />
            <FieldError id="time-zone" message={problems?.at("time_zone")} />
          </div>
        </section>
        <section className={styles.card} aria-labelledby="hours-heading">
          <h2 id="hours-heading">Working hours</h2>
          <p className={styles.muted}>A day left unticked is a day off. With no day ticked, any time counts as working time.</p>
          <p id="hours-hint" className={styles.muted}>
            Times are 24-hour (09:00, 17:30) in your time zone; 24:00 ends a span at midnight. Give a day two spans for a break (09:00 to
            12:00 and 13:00 to 17:00); a day's spans must not overlap.
          </p>
          <HoursEditor
            path="working_hours"
            hours={hours}
            onChange={(next) => {
              setHours(next);
              setHoursRefused(false);
            }}
            check={checkHours}
            problems={problems}
          />
        </section>
        <section className={styles.card} aria-labelledby="pto-heading">
          <h2 id="pto-heading">PTO</h2>
          {pto.length === 0 ? <p className={styles.muted}>No PTO planned.</p> : null}
          <ul aria-label="PTO periods">
            {pto.map((p, i) => (
              <li key={`${p.start}-${p.end}`}>
                {ptoWords(p)}{" "}
                <button type="button" className={styles.small} onClick={() => setPto(pto.filter((_, j) => j !== i))}>
                  Remove <span className="visually-hidden">PTO {ptoWords(p)}</span>
                </button>
                {problems?.at(`pto[${i}]`) ? <span className={styles.fieldError}> {problems.at(`pto[${i}]`)}</span> : null}
              </li>
            ))}
          </ul>
          <div className={styles.row}>
            <div className={ui.field}>
              <label htmlFor="pto-start" className={ui.label}>
                First day off
              </label>
              <input id="pto-start" type="date" className={ui.input} value={newStart} onChange={(e) => setNewStart(e.target.value)} />
            </div>
            <div className={ui.field}>
              <label htmlFor="pto-end" className={ui.label}>
                Back on
              </label>
              <input id="pto-end" type="date" className={ui.input} value={newEnd} onChange={(e) => setNewEnd(e.target.value)} />
            </div>
            <button
              type="button"
              className={ui.secondary}
              disabled={!newStart || !newEnd}
              onClick={() => {
                setPto([
                  ...pto,
                  { start: new Date(`${newStart}T00:00:00Z`).toISOString(), end: new Date(`${newEnd}T00:00:00Z`).toISOString() },
                ]);
                setNewStart("");
                setNewEnd("");
              }}
            >
              Add PTO
            </button>
          </div>
          <p className={styles.muted}>Days are whole days in UTC; changes are kept when you save.</p>
        </section>
        {hoursRefused ? (
          <p role="alert" className={styles.fieldError} tabIndex={-1} ref={refusal}>
            Not saved: some working hours need fixing (see the spans marked above).
          </p>
        ) : null}
        {problems ? (
          <p role="alert" className={styles.fieldError}>
            Not saved: {problems.summary}
          </p>
        ) : null}
        <div className={styles.row}>
          <button type="submit" className={ui.button} disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save availability"}
          </button>
          <span aria-live="polite">{save.isSuccess && !save.isPending ? "Saved." : ""}</span>
        </div>
      </form>
      {mayManageRouting(session.user.role) ? <Team /> : null}
    </div>
  );
}

function Team() {
  const team = useQuery(teamAvailabilityQuery);
  if (team.error) return <ErrorMessage error={team.error} what="the team's availability" />;
  if (!team.data) return null;
  const now = Date.now();
  return (
    <section className={styles.card} aria-labelledby="team-heading">
      <h2 id="team-heading">Team availability</h2>
      <table className={ui.table} aria-labelledby="team-heading">
        <thead>
          <tr>
            <th scope="col">Person</th>
            <th scope="col">Available now</th>
            <th scope="col">Time zone</th>
            <th scope="col">PTO</th>
            <th scope="col">Capacity</th>
          </tr>
        </thead>
        <tbody>
          {team.data.map((p) => {
            const current = p.pto.find((x) => Date.parse(x.start) <= now && Date.parse(x.end) > now);
            const next = p.pto.filter((x) => Date.parse(x.start) > now).sort((a, b) => a.start.localeCompare(b.start))[0];
            return (
              <tr key={p.user_id}>
                <td>{p.name}</td>
                <td>{p.available_now ? "Yes" : "No"}</td>
                <td>{p.time_zone}</td>
                <td>{current ? `On PTO until ${dateOf(current.end)}` : next ? `Next: ${ptoWords(next)}` : "—"}</td>
                <td>{p.capacity ?? "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
