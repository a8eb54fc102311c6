/**
 * A workflow's versions, newest first: which is live, when each was saved and published, by whom,
 * and the publisher's note on what changed and why, with the conflict warnings they acknowledged. Shown on the workflow's page and in the
 * builder's Versions dialog.
 *
 * The visual diff between two versions (issue 15, item 5) hangs its "Compare" control on
 * `compare`: given, it renders one more column with what it returns for each version.
 */
import type { ReactNode } from "react";
import type { Schemas } from "../../api/client";
import { when } from "../../components/time";
import { ui } from "../../components/ui";
import { ConflictList } from "../builder/ConflictWarnings";
import { byWhom } from "./words";
import styles from "./workflows.module.css";

export type WorkflowVersion = Schemas["WorkflowVersion"];

const STATE_WORDS: Record<WorkflowVersion["state"], string> = { published: "Published", draft: "Draft", archived: "Archived" };

export function VersionHistory({
  versions,
  liveVersion,
  name,
  compare,
}: {
  versions: readonly WorkflowVersion[];
  liveVersion: number | null;
  name: string;
  compare?: ((version: WorkflowVersion) => ReactNode) | undefined;
}) {
  return (
    <div className={styles.tableWrap}>
      <table className={ui.table}>
        <caption className="visually-hidden">Versions of {name}, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">State</th>
            <th scope="col">Saved</th>
            <th scope="col">Published</th>
            <th scope="col">Published by</th>
            <th scope="col">What changed and why</th>
            {compare ? <th scope="col">Compare</th> : null}
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <td>
                v{v.version}
                {v.version === liveVersion ? <strong> (live)</strong> : null}
              </td>
              <td>{STATE_WORDS[v.state]}</td>
              <td>{when(v.created_at)}</td>
              <td>{v.published_at ? when(v.published_at) : "never"}</td>
              <td>{v.published_at ? byWhom(v.published_by) : "—"}</td>
              <td className={styles.note}>
                {v.note ?? <span className={styles.muted}>{v.published_at ? "no note" : "not published yet"}</span>}
                {v.conflicts_acknowledged ? (
                  <details className={styles.acknowledged}>
                    <summary>
                      Published despite{" "}
                      {v.conflicts_acknowledged.warnings.length === 1
                        ? "1 conflict"
                        : `${v.conflicts_acknowledged.warnings.length} conflicts`}
                      , acknowledged by {byWhom(v.published_by)} {when(v.conflicts_acknowledged.at)}
                    </summary>
                    <ConflictList warnings={v.conflicts_acknowledged.warnings} />
                  </details>
                ) : null}
              </td>
              {compare ? <td>{compare(v)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
