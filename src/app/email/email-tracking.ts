/**
 * Email engagement tracking (issue 21; docs/scoring.md, "Email engagement tracking").
 *
 * - At enqueue (`prepare`, in the step's transaction): an HTML email a workflow sends to the
 *   record's own address, in a workspace that tracks, gets the open pixel (opens on) and its
 *   http(s) links rewritten to signed redirects (clicks on); the links as sent are kept with the
 *   message (`tracked_emails`). Emails to people of the workspace (a manager, an approver) and
 *   plain-text bodies are never tracked.
 * - `open`: the pixel's token, checked; the first open of a message records an `email_opened`
 *   activity on the record, made by the contact, and a `record.email_engaged` event (which the
 *   `email_engaged` trigger and scoring read). Later opens record nothing: the claim is the
 *   message's `opened_at`, set once.
 * - `click`: the link's token, checked, AND its target one of the message's links as sent — or
 *   nothing, and no redirect. The first click of each link records `email_clicked` (with the URL)
 *   and the event; the redirect works on every click, tracking on or off.
 * - The workspace's switch is read at both ends: off, nothing is added to emails and nothing is
 *   recorded from links already sent.
 */
import type { EmailPayload } from "../../connectors/contract.js";
import type { TrackedMessage } from "../../store/email-tracking-ports.js";
import type { EmailEngagedDetail } from "../../store/event-ports.js";
import type { Store, StoreTx } from "../../store/ports.js";
import type { CallContext } from "../context.js";
import type { Clock, IdGenerator, Nudge } from "../ports.js";
import type { RecordWriter } from "../records/record-writer.js";
import { trackHtml } from "./tracked-html.js";
import { emailTrackingOf } from "./tracking-settings.js";
import type { TrackingTokens } from "./tracking-tokens.js";

/** One email about to be enqueued, to the record's own address. */
export interface EmailToTrack {
  workspaceId: string;
  /** The outbox item's id it will be enqueued under. */
  messageId: string;
  recordId: string;
  runId: string | null;
  payload: EmailPayload;
  at: string;
}

/** What the runtime's email step uses (runtime/apply/enqueue-external.ts). */
export interface EmailTracker {
  /** The payload to send, and the message to keep once the outbox item is inserted (none: untracked). */
  prepare(tx: StoreTx, email: EmailToTrack): Promise<{ payload: EmailPayload; message: TrackedMessage | undefined }>;
}

type Engagement = { kind: "opened" } | { kind: "clicked"; url: string; link: number };

export class EmailTracking implements EmailTracker {
  constructor(
    private readonly store: Store,
    private readonly writer: RecordWriter,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly tokens: TrackingTokens,
    /** Where this installation is reached from outside (links in emails). */
    private readonly publicUrl: string,
    /** After a commit that recorded engagement: its events are work for the in-process worker. */
    private readonly onCommit: Nudge,
  ) {}

  async prepare(tx: StoreTx, email: EmailToTrack): Promise<{ payload: EmailPayload; message: TrackedMessage | undefined }> {
    const untracked = { payload: email.payload, message: undefined };
    if (email.payload.html === undefined || !this.tokens.available) return untracked;
    const setting = emailTrackingOf((await tx.workspaces.getWorkspace(email.workspaceId))?.settings);
    if (!setting.opens && !setting.clicks) return untracked;
    const base = this.publicUrl.replace(/\/+$/, "");
    const { workspaceId, messageId } = email;
    const link = (kind: "o" | "c", token: string | undefined) => (token ? `${base}/t/${kind}/${token}` : undefined);
    const { html, links } = trackHtml(email.payload.html, {
      click: setting.clicks ? (url) => link("c", this.tokens.sign({ kind: "click", workspaceId, messageId, url })) : undefined,
      pixel: setting.opens ? link("o", this.tokens.sign({ kind: "open", workspaceId, messageId })) : undefined,
    });
    return {
      payload: { ...email.payload, html },
      message: {
        workspaceId,
        id: messageId,
        recordId: email.recordId,
        runId: email.runId,
        subject: email.payload.subject,
        links,
        createdAt: email.at,
        openedAt: null,
      },
    };
  }

  /** The pixel was fetched. Never says whether the token was any good (the answer is the same GIF). */
  async open(token: string): Promise<void> {
    const t = this.tokens.verify(token, "open");
    if (t?.kind !== "open") return;
    await this.record(t.workspaceId, t.messageId, { kind: "opened" });
  }

  /**
   * A link was followed: the target when the token is genuine and names one of its message's
   * links as sent; undefined otherwise (the caller refuses, redirecting nowhere).
   */
  async click(token: string): Promise<string | undefined> {
    const found = await this.link(token);
    if (!found) return undefined;
    await this.record(found.workspaceId, found.messageId, { kind: "clicked", url: found.url, link: found.link });
    return found.url;
  }

  /** Where a link leads, recording nothing (a HEAD request, a link checker's). */
  async target(token: string): Promise<string | undefined> {
    return (await this.link(token))?.url;
  }

  /** A genuine click token whose URL is one of its message's links as sent. */
  private async link(token: string) {
    const t = this.tokens.verify(token, "click");
    if (t?.kind !== "click") return undefined;
    const message = await this.store.emailTracking.getTrackedMessage(t.workspaceId, t.messageId);
    const link = message ? message.links.indexOf(t.url) : -1;
    return link < 0 ? undefined : { workspaceId: t.workspaceId, messageId: t.messageId, url: t.url, link };
  }

  /** Records the engagement once, if the workspace tracks it and the record is still there. */
  private async record(workspaceId: string, messageId: string, what: Engagement): Promise<void> {
    const recorded = await this.store.transaction(async (tx) => {
      const workspace = await tx.workspaces.getWorkspace(workspaceId);
      const setting = emailTrackingOf(workspace?.settings);
      if (!workspace || !(what.kind === "opened" ? setting.opens : setting.clicks)) return false;
      const message = await tx.emailTracking.getTrackedMessage(workspaceId, messageId);
      if (!message) return false;
      const at = this.clock.now().toISOString();
      const first =
        what.kind === "opened"
          ? await tx.emailTracking.markOpened(workspaceId, messageId, at)
          : await tx.emailTracking.addClick(workspaceId, messageId, what.link, at);
      if (!first) return false;
      const record = await tx.records.getRecord(workspaceId, message.recordId);
      // A record deleted (or merged away) since: the claim stays, there is nothing to record on.
      if (!record) return false;
      const ctx: CallContext = {
        workspaceId,
        role: "admin",
        actor: { kind: "system", id: "email-tracking" },
        requestId: null,
        causeId: null,
      };
      const [activity] = await this.writer.createMany(
        ctx,
        "activity",
        [
          {
            type: what.kind === "opened" ? "email_opened" : "email_clicked",
            subject: message.subject,
            ...(what.kind === "clicked" ? { body: what.url } : {}),
            related_id: record.id,
            occurred_at: at,
            // The person who received the email did this, not Handoff nor a rep.
            made_by: "contact",
          },
        ],
        { tx, pathOf: () => [] },
      );
      const detail: EmailEngagedDetail = {
        message_id: messageId,
        activity_id: activity?.id ?? "",
        subject: message.subject,
        url: what.kind === "clicked" ? what.url : null,
      };
      await tx.events.appendEvents([
        {
          id: this.ids.next(),
          workspaceId,
          type: "record.email_engaged",
          object: record.object,
          recordId: record.id,
          recordVersion: record.version,
          actor: ctx.actor,
          causeId: null,
          changes: [],
          occurredAt: at,
          depth: 0,
          source: what.kind,
          detail: { ...detail },
        },
      ]);
      return true;
    });
    if (recorded) this.onCommit();
  }
}
