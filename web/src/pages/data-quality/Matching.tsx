/**
 * /data-quality/matching: the workspace's match rules — which records each compares, on which
 * keys, scoring which fields, at what threshold and with what action — and, for admins, a
 * "Scan for duplicates" per object: it starts a scan of the records already there, shows its
 * progress (polling the scan) and then links to the review queue's possible duplicates. Every
 * signed-in role reads the rules; admins get New rule, the edit links and the scans (the API
 * refuses the writes to other roles).
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { Link, useRouteContext } from "@tanstack/react-router";
import { useState } from "react";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../../components/ui";
import { objectsQuery } from "../../records/model";
import styles from "./DataQuality.module.css";
import { actionLine, KEY_WORDS, SIMILARITY_WORDS } from "./match-words";
import {
  type DedupeScan,
  MATCH_OBJECTS,
  type MatchObject,
  type MatchRule,
  matchRulesQuery,
  mayEditMatching,
  scanQuery,
  startScan,
} from "./matching-data";

function useLabels() {
  const objects = useQuery(objectsQuery);
  const object = (name: string) => objects.data?.find((o) => o.name === name)?.label ?? name;
  const field = (obj: string, name: string) =>
    objects.data?.find((o) => o.name === obj)?.fields.find((f) => f.name === name)?.label ?? name;
  return { object, field };
}

function RuleRow({ rule, admin }: { rule: MatchRule; admin: boolean }) {
  const label = useLabels();
  return (
    <tr>
      <td>
        {admin ? (
          <Link to="/data-quality/matching/$rule" params={{ rule: rule.name }}>
            {rule.name}
          </Link>
        ) : (
          <strong>{rule.name}</strong>
        )}
        {rule.description ? <div className={styles.muted}>{rule.description}</div> : null}
      </td>
      <td>{label.object(rule.object)}</td>
      <td>{rule.compare_with.map(label.object).join(", ")}</td>
      <td>{rule.keys.map((k) => KEY_WORDS[k].label).join(", ")}</td>
      <td>
        <ul className={styles.plain}>
          {rule.fields.map((f) => (
            <li key={f.field}>
              {label.field(rule.object, f.field)}{" "}
              <span className={styles.muted}>
                ×{f.weight}, {SIMILARITY_WORDS[f.similarity]}
              </span>
            </li>
          ))}
        </ul>
      </td>
      <td>{actionLine(rule)}</td>
      <td>{rule.enabled ? "On" : "Off"}</td>
    </tr>
  );
}

function ScanProgress({ id, label }: { id: string; label: string }) {
  const scan = useQuery(scanQuery(id));
  if (scan.error) return <ErrorMessage error={scan.error} what="the scan" />;
  const s: DedupeScan | undefined = scan.data;
  if (!s) return <p aria-live="polite">Starting the scan…</p>;
  return (
    <div className={styles.scan} aria-live="polite">
      {s.status === "running" ? (
        <>
          <label htmlFor={`scan-${id}`}>
            Scanning {label} records: {s.done} of {s.total}, {s.pairs_found} possible duplicate pairs so far
          </label>
          <progress id={`scan-${id}`} max={s.total || 1} value={s.done} />
        </>
      ) : s.status === "failed" ? (
        <p role="alert" className={ui.fieldError}>
          The scan stopped: {s.error ?? "no reason given"}. Nothing it queued is lost; start another.
        </p>
      ) : (
        <p>
          Scan done: {s.pairs_found} possible duplicate {s.pairs_found === 1 ? "pair" : "pairs"} found, {s.pairs_queued} new in the review
          queue.{" "}
          <Link to="/data-quality/review" search={{ kind: "duplicate" }}>
            Review possible duplicates
          </Link>
        </p>
      )}
    </div>
  );
}

function ScanButton({ object, label, rules }: { object: MatchObject; label: string; rules: readonly MatchRule[] }) {
  const [scanId, setScanId] = useState<string | undefined>(undefined);
  const start = useMutation({ mutationFn: () => startScan(object), onSuccess: (s) => setScanId(s.id) });
  const usable = rules.some((r) => r.object === object && r.enabled && r.action !== "allow");
  return (
    <li className={styles.panel}>
      <div className={styles.rowActions}>
        <button
          type="button"
          className={ui.secondary}
          disabled={!usable || start.isPending}
          onClick={() => start.mutate()}
          aria-label={`Scan ${label} records for duplicates`}
        >
          {start.isPending ? "Starting…" : `Scan ${label.toLowerCase()} records for duplicates`}
        </button>
        {usable ? null : <span className={styles.muted}>No enabled {label.toLowerCase()} rule besides “allow”.</span>}
      </div>
      {start.error ? (
        <span role="alert" className={ui.fieldError}>
          Not started: {start.error.message}
        </span>
      ) : null}
      {scanId ? <ScanProgress id={scanId} label={label.toLowerCase()} /> : null}
    </li>
  );
}

export function Matching() {
  const { session } = useRouteContext({ from: "/app" });
  const admin = mayEditMatching(session.user.role);
  const rules = useQuery(matchRulesQuery);
  const label = useLabels();
  return (
    <div className={styles.page}>
      <PageHeader title="Matching">
        How Handoff spots duplicates: a rule compares each new or changed lead, contact or company with records that share a key (the same
        email, phone, company or a surname that sounds alike), scores the fields it names, and at the threshold blocks the write, queues the
        pair for review, or merges it.
      </PageHeader>
      {admin ? (
        <div>
          <Link to="/data-quality/matching/new" className={ui.button}>
            New match rule
          </Link>
        </div>
      ) : (
        <p className={styles.muted}>Only admins change match rules and start scans; you can read them here.</p>
      )}
      {rules.error ? <ErrorMessage error={rules.error} what="the match rules" /> : null}
      {rules.isPending ? <p aria-live="polite">Loading match rules…</p> : null}
      {rules.data?.length === 0 ? (
        <EmptyState title="No match rules yet">
          Without a rule nothing is compared: every create is written as it comes. A rule such as “contacts with the same email or a similar
          name and phone” catches the duplicates imports and forms bring in.
          {admin ? null : " An admin of your workspace creates them."}
        </EmptyState>
      ) : null}
      {rules.data && rules.data.length > 0 ? (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1)
        // biome-ignore lint/a11y/useSemanticElements: the region is the scroll frame, not a landmark
        <div className={styles.tableFrame} tabIndex={0} role="region" aria-label="Match rules (scrolls sideways)">
          <table className={ui.table} aria-label="Match rules">
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">Checks</th>
                <th scope="col">Compared with</th>
                <th scope="col">Keys</th>
                <th scope="col">Fields scored</th>
                <th scope="col">Action</th>
                <th scope="col">Switched on</th>
              </tr>
            </thead>
            <tbody>
              {rules.data.map((r) => (
                <RuleRow key={r.id} rule={r} admin={admin} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {admin && rules.data ? (
        <section aria-labelledby="scan-heading" className={styles.panel}>
          <h2 id="scan-heading">Scan for duplicates</h2>
          <p className={styles.muted}>
            Rules check records as they are written. To find the duplicates already in your data, scan an object: the pairs found go to the
            review queue.
          </p>
          <ul className={styles.scans}>
            {MATCH_OBJECTS.map((o) => (
              <ScanButton key={o} object={o} label={label.object(o)} rules={rules.data} />
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
