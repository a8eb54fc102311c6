/**
 * A calendar's own pages: `/calendars/new` (admins) creates one and opens it; `/calendars/$id`
 * shows it in the editor with its live preview — admins change it (PATCH over the version read)
 * and delete it, everyone else reads it. A 412 on save reloads the calendar on request.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useParams, useRouteContext } from "@tanstack/react-router";
import { useState } from "react";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { RoleGate } from "../../components/RoleGate";
import { ErrorMessage, PageHeader } from "../../components/ui";
import { CalendarForm } from "./CalendarForm";
import styles from "./Calendars.module.css";
import { draftOf, emptyDraft } from "./calendar-form";
import {
  CALENDAR_WRITE_STALES,
  calendarQuery,
  calendarsQuery,
  createCalendar,
  deleteCalendar,
  mayEditCalendars,
  updateCalendar,
} from "./data";

export function NewCalendar() {
  const navigate = useNavigate();
  const calendars = useQuery(calendarsQuery);
  // The first calendar is likely the workspace's: start it as the default, in the admin's own zone.
  const first = calendars.data?.length === 0;
  return (
    <RoleGate roles={["admin"]} who="admins" title="New calendar">
      <div className={styles.page}>
        <PageHeader title="New business calendar">
          When is this team open? Set the hours per weekday and what closes it; the preview shows the next two weeks as you type.
        </PageHeader>
        {calendars.isPending ? (
          <p aria-live="polite">Loading…</p>
        ) : (
          <CalendarForm
            initial={{ ...emptyDraft(Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"), default: first }}
            calendarId={undefined}
            save={createCalendar}
            submitLabel="Create calendar"
            onSaved={(c) => navigate({ to: "/calendars/$id", params: { id: c.id } })}
          />
        )}
      </div>
    </RoleGate>
  );
}

export function CalendarPage() {
  const { id } = useParams({ from: "/app/calendars/$id" });
  const { session } = useRouteContext({ from: "/app" });
  const edit = mayEditCalendars(session.user.role);
  const calendar = useQuery(calendarQuery(id));
  const [reloads, setReloads] = useState(0);
  if (calendar.error) return <ErrorMessage error={calendar.error} what="this calendar" />;
  if (!calendar.data) return <p aria-live="polite">Loading the calendar…</p>;
  const c = calendar.data;
  return (
    <div className={styles.page}>
      <PageHeader title={`Calendar: ${c.name}`}>
        {edit
          ? "Changes apply to waits and SLA clocks that start after you save; a wait already counting keeps the due time it was given."
          : "Only admins change calendars; you can read its hours and see what they mean here."}
      </PageHeader>
      {/* Keyed by the calendar and each reload: another calendar, or their version after a 412, starts the form afresh. */}
      <CalendarForm
        key={`${c.id}:${reloads}`}
        initial={draftOf(c)}
        calendarId={c.id}
        save={(body) => updateCalendar(c.id, c.version, body)}
        submitLabel="Save calendar"
        onSaved={() => undefined}
        onReload={async () => {
          await calendar.refetch();
          setReloads((n) => n + 1);
        }}
        readOnly={!edit}
      />
      {edit ? (
        <section className={styles.card} aria-labelledby="delete-heading">
          <h2 id="delete-heading">Delete this calendar</h2>
          <p className={styles.muted}>
            A calendar that a team, a person, a live workflow or an SLA policy names cannot be deleted; point them at another calendar
            first.
          </p>
          <div>
            <DeleteCalendar id={c.id} name={c.name} isDefault={c.default} />
          </div>
        </section>
      ) : null}
    </div>
  );
}

function DeleteCalendar({ id, name, isDefault }: { id: string; name: string; isDefault: boolean }) {
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () => deleteCalendar(id),
    onSuccess: async () => {
      setOpen(false);
      // Leave the page first, so that nothing reads the deleted calendar again.
      await navigate({ to: "/calendars" });
      queryClient.removeQueries({ queryKey: calendarQuery(id).queryKey });
      await Promise.all(CALENDAR_WRITE_STALES.map((queryKey) => queryClient.invalidateQueries({ queryKey: [...queryKey] })));
    },
  });
  return (
    <>
      <button
        type="button"
        className={styles.dangerButton}
        onClick={() => {
          remove.reset();
          setOpen(true);
        }}
      >
        Delete<span className="visually-hidden"> {name}</span> calendar…
      </button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Delete the calendar ${name}?`}
        confirm="Delete calendar"
        danger
        pending={remove.isPending}
        pendingLabel="Deleting…"
        onConfirm={() => remove.mutate()}
        error={remove.error ? `Not deleted: ${remove.error.message}.` : undefined}
      >
        It is removed for good.
        {isDefault ? " It is the workspace’s default: without one, business time is counted around the clock (24×7)." : ""}
      </ConfirmDialog>
    </>
  );
}
