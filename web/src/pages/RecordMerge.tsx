/**
 * The merge screen (issue 20, item 7; docs/data-quality.md "Merge"): two records of one object
 * side by side, field by field, a radio per field for whose value wins, and which record stays.
 * Reached from the record page ("Merge with…"): the page's record is on the left, the other one is
 * picked by name (or given as `?with=<id>`). Merging posts to /api/v1/{objects}/merges and opens
 * the survivor; a refusal is shown at the top, naming the field. Route: /records/$object/$id/merge.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "@tanstack/react-router";
import { useState } from "react";
import { ApiError, api, unwrap } from "../api/client";
import { EmptyState, ErrorMessage, ui } from "../components/ui";
import type { FieldInfo } from "../records/field-info";
import { ReferencePicker } from "../records/ReferencePicker";
import styles from "./merge/Merge.module.css";
import { comparable, defaultSides, differing, mergeBody, type Side } from "./merge/model";
import { objectsQuery, recordQuery } from "./record/data";
import { fieldValue, recordTitle } from "./record/words";

type MergePath = "/api/v1/leads/merges";

/** A refusal as the server gave it: what happened, and each field it named with its message. */
function Refusal({ error }: { error: unknown }) {
  const problem = error instanceof ApiError ? error.problem : undefined;
  const issues = ((problem as { errors?: Array<{ path: string; message: string }> } | undefined)?.errors ?? []).filter((i) => i.message);
  return (
    <div role="alert" className={ui.alert}>
      <strong>The merge did not happen.</strong> {error instanceof Error ? error.message : String(error)}
      {issues.length > 0 ? (
        <ul>
          {issues.map((i) => (
            <li key={`${i.path}:${i.message}`}>
              {i.path ? <code>{i.path}</code> : null} {i.message}
            </li>
          ))}
        </ul>
      ) : null}
      <p>Nothing was changed.</p>
    </div>
  );
}

function Value({ v, type }: { v: unknown; type: string }) {
  return v === undefined || v === null || v === "" ? <span className={styles.empty}>empty</span> : fieldValue(v, type);
}

export function RecordMerge() {
  const { object: plural, id } = useParams({ from: "/app/records/$object/$id/merge" });
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const objects = useQuery(objectsQuery);
  const def = objects.data?.find((o) => o.plural === plural);
  const [otherId, setOtherId] = useState(() => new URLSearchParams(window.location.search).get("with") ?? "");
  const left = useQuery({ ...recordQuery(plural, id), enabled: def !== undefined });
  const right = useQuery({ ...recordQuery(plural, otherId), enabled: def !== undefined && otherId !== "" && otherId !== id });
  const [survivor, setSurvivor] = useState<Side>("left");
  const [sides, setSides] = useState<Record<string, Side> | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  if (objects.error) return <ErrorMessage error={objects.error} what="the kinds of records" />;
  if (!def) return <p aria-live="polite">Loading…</p>;
  if (left.error) return <ErrorMessage error={left.error} what={`this ${def.label.toLowerCase()}`} />;
  if (!left.data) return <p aria-live="polite">Loading the {def.label.toLowerCase()}…</p>;
  const noun = def.label.toLowerCase();
  const picker: FieldInfo = {
    name: "merge_with",
    type: "reference",
    label: `${noun} to merge with`,
    custom: false,
    managed: false,
    required: false,
    operators: [],
    references: [def.name],
  };

  const l = left.data;
  const r = right.data && right.data.id !== l.id ? right.data : undefined;
  const fields = comparable(def.fields as FieldInfo[]);
  const chosen = sides ?? (r ? defaultSides(fields, l, r, survivor) : {});
  const differ = r ? new Set(differing(fields, l, r).map((f) => f.name)) : new Set<string>();

  const pickSurvivor = (s: Side) => {
    setSurvivor(s);
    if (r) setSides(defaultSides(fields, l, r, s));
  };
  const merge = async () => {
    if (!r) return;
    setBusy(true);
    setError(undefined);
    try {
      const body = mergeBody(l.id, r.id, survivor, chosen);
      const m = unwrap(await api.POST(`/api/v1/${plural}/merges` as MergePath, { body })) as { survivor_id: string };
      await queryClient.invalidateQueries();
      await navigate({ to: "/records/$object/$id", params: { object: plural, id: m.survivor_id } });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const survivorTitle = survivor === "left" ? recordTitle(l) : r ? recordTitle(r) : "";

  return (
    <div>
      <p className={ui.hint}>
        <Link to="/records/$object/$id" params={{ object: plural, id }}>
          ← Back to {recordTitle(l)}
        </Link>
      </p>
      <h1>Merge two {def.label.toLowerCase()} records</h1>
      <p>
        Pick the other {noun}, choose which record stays and, field by field, whose value it keeps. Everything linked to the record that
        goes (activities, tasks, deals, tickets, other records pointing at it) moves to the one that stays. The merged record's link keeps
        working and leads to the one that stays. You can undo a merge for a while from the record page.
      </p>
      {r ? null : (
        <section className={ui.panel} aria-labelledby="pick-heading">
          <h2 id="pick-heading">
            Which {noun} should be merged with {recordTitle(l)}?
          </h2>
          <ReferencePicker
            field={picker}
            onPick={(picked) => (picked === id ? setError(new Error(`that is ${recordTitle(l)} itself`)) : setOtherId(picked))}
          />
          {right.error instanceof ApiError && right.error.status === 404 ? (
            <EmptyState title={`No such ${noun}`}>The {noun} you named is not in your workspace. Find it by name above.</EmptyState>
          ) : null}
        </section>
      )}
      {r ? (
        <>
          <fieldset className={styles.survivor}>
            <legend>Which record stays?</legend>
            {(["left", "right"] as const).map((s) => (
              <label key={s} className={styles.choice}>
                <input type="radio" name="survivor" checked={survivor === s} onChange={() => pickSurvivor(s)} />
                {recordTitle(s === "left" ? l : r)} <span className={ui.hint}>({s === "left" ? "this record" : "the other record"})</span>
              </label>
            ))}
          </fieldset>
          <table className={styles.table}>
            <caption className="visually-hidden">Field by field: whose value {survivorTitle} keeps</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">{recordTitle(l)} (this record)</th>
                <th scope="col">{recordTitle(r)} (the other record)</th>
              </tr>
            </thead>
            <tbody>
              {fields.map((f) => (
                <tr key={f.name} className={differ.has(f.name) ? undefined : styles.same}>
                  <th scope="row">{f.label}</th>
                  {(["left", "right"] as const).map((s) => (
                    <td key={s}>
                      <label className={styles.choice}>
                        <input
                          type="radio"
                          name={`field-${f.name}`}
                          aria-label={`${f.label}: keep ${s === "left" ? "this record's" : "the other record's"} value`}
                          checked={chosen[f.name] === s}
                          onChange={() => setSides({ ...chosen, [f.name]: s })}
                        />
                        <Value v={(s === "left" ? l : r)[f.name]} type={f.type} />
                      </label>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {error ? <Refusal error={error} /> : null}
          <div className={styles.actions}>
            <button type="button" className={ui.button} disabled={busy} onClick={merge}>
              {busy ? "Merging…" : `Merge into ${survivorTitle}`}
            </button>
            <button type="button" className={ui.secondary} onClick={() => setOtherId("")}>
              Pick another {noun}
            </button>
          </div>
        </>
      ) : error ? (
        <Refusal error={error} />
      ) : null}
    </div>
  );
}
