/**
 * Where the builder's edits stand, in the toolbar: "Saving…", "Draft v3 saved 12:03", "Not saved:
 * <reason>" with Retry, and which version is live (and, right after publishing, that it just went
 * live). A polite live region, so that a screen reader hears it change without losing its place.
 */
import styles from "./builder.module.css";
import type { Published } from "./PublishDialog";
import type { SaveStatus as Status } from "./useAutosave";

const clock = (d: Date) => d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });

export function SaveStatus({
  status,
  liveVersion,
  published,
  onRetry,
}: {
  status: Status;
  liveVersion: number | null;
  published: Published | undefined;
  onRetry: () => void;
}) {
  return (
    <div className={styles.status}>
      <p role="status" className={status.kind === "failed" ? styles.statusFailed : styles.statusLine}>
        {statusWords(status, liveVersion)}
      </p>
      {status.kind === "failed" ? (
        <button type="button" className={styles.plainButton} onClick={onRetry}>
          Retry saving
        </button>
      ) : null}
      <p role="status" className={published || liveVersion !== null ? styles.live : styles.statusLine}>
        {published
          ? `Published v${published.version} at ${clock(published.at)}: it is live now${published.backfilled > 0 ? `, and ${published.backfilled} records already past their date were enrolled` : ""}.`
          : liveVersion === null
            ? "Not live: no version is published yet."
            : `Live: v${liveVersion}.`}
      </p>
    </div>
  );
}

function statusWords(status: Status, liveVersion: number | null): string {
  switch (status.kind) {
    case "pending":
      return "Edits not saved yet…";
    case "saving":
      return "Saving…";
    case "failed":
      return `Not saved: ${status.reason}.`;
    case "saved":
      // Until the first edit makes a draft, the builder shows the live version itself.
      if (status.version === liveVersion) return `Editing the live version, v${status.version}: the first edit saves a new draft.`;
      return `Draft v${status.version} saved ${clock(status.at)}`;
  }
}
