/**
 * Workspace settings (admins): today the email tracking switch (issue 21; docs/scoring.md, "Email
 * engagement tracking") — whether emails workflows send to a record carry the open pixel, and
 * whether their links go through Handoff to record clicks. Both off unless an admin turns them on:
 * tracking people's reading is a privacy choice. The API allows the change to admins only;
 * RoleGate tells anyone else.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { api, unwrap } from "../api/client";
import { RoleGate } from "../components/RoleGate";
import { ErrorMessage, PageHeader, ui } from "../components/ui";
import styles from "./WorkspaceSettings.module.css";

interface Tracking {
  opens: boolean;
  clicks: boolean;
}

function EmailTracking() {
  const queryClient = useQueryClient();
  const settings = useQuery({
    queryKey: ["workspace", "settings"],
    queryFn: async () => unwrap(await api.GET("/api/v1/workspace/settings")),
  });
  const saved: Tracking = { opens: false, clicks: false, ...settings.data?.email_tracking };
  const [draft, setDraft] = useState<Tracking | undefined>();
  useEffect(() => {
    if (settings.data && draft === undefined) setDraft({ opens: false, clicks: false, ...settings.data.email_tracking });
  }, [settings.data, draft]);
  const save = useMutation({
    mutationFn: async (email_tracking: Tracking) => unwrap(await api.PATCH("/api/v1/workspace/settings", { body: { email_tracking } })),
    onSuccess: (data) => {
      queryClient.setQueryData(["workspace", "settings"], data);
      setDraft({ opens: false, clicks: false, ...data.email_tracking });
    },
  });
  const changed = draft !== undefined && (draft.opens !== saved.opens || draft.clicks !== saved.clicks);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (draft) save.mutate(draft);
  };
  return (
    <section className={styles.card} aria-labelledby="email-tracking">
      <h2 id="email-tracking">Email tracking</h2>
      <p className={styles.muted}>
        Applies to HTML emails that workflows send to a lead's or contact's own address. Opens and clicks are recorded on the record as
        activities (<em>Email opened</em>, <em>Email clicked</em>), once per email and once per link, for scoring rules and the{" "}
        <em>email engaged</em> trigger. Turning a kind off stops it for new emails and records nothing from links already sent; those links
        keep working.
      </p>
      {settings.error ? <ErrorMessage error={settings.error} what="the workspace settings" /> : null}
      {settings.isPending ? <p aria-live="polite">Loading the settings…</p> : null}
      {draft ? (
        <form onSubmit={onSubmit} className={styles.form}>
          <fieldset className={styles.options}>
            <legend>Track</legend>
            <label className={styles.check}>
              <input type="checkbox" checked={draft.opens} onChange={(e) => setDraft({ ...draft, opens: e.target.checked })} />
              <span>Opens</span>
              <small>A 1×1 image in each email. Some mail apps load images by themselves, so an open is a weak sign.</small>
            </label>
            <label className={styles.check}>
              <input type="checkbox" checked={draft.clicks} onChange={(e) => setDraft({ ...draft, clicks: e.target.checked })} />
              <span>Link clicks</span>
              <small>Each link goes through Handoff first, then straight on to the page it names.</small>
            </label>
          </fieldset>
          <div className={styles.actions}>
            <button type="submit" className={ui.button} disabled={!changed || save.isPending}>
              {save.isPending ? "Saving…" : "Save email tracking"}
            </button>
            <span aria-live="polite">
              {save.isSuccess && !changed ? (
                <span className={styles.ok} role="status">
                  Saved: opens {saved.opens ? "on" : "off"}, clicks {saved.clicks ? "on" : "off"}.
                </span>
              ) : null}
            </span>
          </div>
          {save.error ? <ErrorMessage error={save.error} what="the email tracking setting" /> : null}
        </form>
      ) : null}
    </section>
  );
}

export function WorkspaceSettings() {
  return (
    <RoleGate roles={["admin"]} who="admins" title="Workspace settings">
      <div className={styles.page}>
        <PageHeader title="Workspace settings">Choices that apply to the whole workspace.</PageHeader>
        <EmailTracking />
      </div>
    </RoleGate>
  );
}
