/**
 * The Versions section's "Compare": choose two versions (by default the live one and the one
 * before it) and open the compare view, /workflows/$id/compare?from=&to=, which draws what
 * changed on the graph (pages/builder/versions/VersionCompare.tsx).
 */
import { useNavigate } from "@tanstack/react-router";
import { useId, useState } from "react";
import { ui } from "../../components/ui";
import styles from "./workflows.module.css";

export interface VersionChoice {
  version: number;
  state: string;
}

/**
 * The pair to compare when none is chosen: the live version (else the latest) against the
 * version before it. Undefined when there is only one version.
 */
export function defaultPair(versions: readonly VersionChoice[], live: number | null): { from: number; to: number } | undefined {
  const numbers = versions.map((v) => v.version).sort((a, b) => a - b);
  const to = live ?? numbers[numbers.length - 1];
  if (to === undefined) return undefined;
  const from = numbers.filter((n) => n < to).pop() ?? numbers.find((n) => n > to);
  if (from === undefined) return undefined;
  return from < to ? { from, to } : { from: to, to: from };
}

export function versionName(v: VersionChoice, live: number | null) {
  const state = v.version === live ? "live" : v.state === "published" ? "published" : v.state;
  return `v${v.version} (${state})`;
}

export function CompareVersions({
  workflowId,
  versions,
  live,
  initial,
}: {
  workflowId: string;
  versions: VersionChoice[];
  live: number | null;
  /** The pair shown now (the compare view); default: defaultPair. */
  initial?: { from: number; to: number } | undefined;
}) {
  const navigate = useNavigate();
  const pair = initial ?? defaultPair(versions, live);
  const [from, setFrom] = useState(pair?.from ?? 0);
  const [to, setTo] = useState(pair?.to ?? 0);
  const fromId = useId();
  const toId = useId();
  if (!pair) return <p className={styles.muted}>Once a second version is saved, you can compare two versions here.</p>;
  const same = from === to;
  return (
    <form
      className={styles.toolbar}
      aria-label="Compare two versions"
      onSubmit={(e) => {
        e.preventDefault();
        if (!same) navigate({ to: "/workflows/$id/compare", params: { id: workflowId }, search: { from, to } });
      }}
    >
      <div className={styles.compareChoice}>
        <div className={styles.filter}>
          <label htmlFor={fromId} className={ui.label}>
            Compare version
          </label>
          <select id={fromId} className={styles.select} value={from} onChange={(e) => setFrom(Number(e.target.value))}>
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                {versionName(v, live)}
              </option>
            ))}
          </select>
        </div>
        <div className={styles.filter}>
          <label htmlFor={toId} className={ui.label}>
            with version
          </label>
          <select id={toId} className={styles.select} value={to} onChange={(e) => setTo(Number(e.target.value))}>
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                {versionName(v, live)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className={ui.button} disabled={same} aria-describedby={same ? `${toId}-same` : undefined}>
          Compare
        </button>
      </div>
      {same ? (
        <p id={`${toId}-same`} className={styles.muted}>
          Choose two different versions.
        </p>
      ) : null}
    </form>
  );
}
