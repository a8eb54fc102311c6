/**
 * CSV import: choose a file, send it to POST /api/v1/{plural}/import, watch the upload, read
 * the result. The API imports all or nothing, in one request: either every row became a record
 * ("Created 12 leads"), or nothing was written and each bad row is listed with its line (as a
 * spreadsheet numbers it: the header is line 1), its column and the problem.
 */
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { ApiError } from "../api/client";
import { ui } from "../components/ui";
import type { ObjectInfo } from "./model";
import type { ProblemIssue } from "./problems";
import styles from "./records.module.css";
import { type ImportResult, importCsv } from "./recordsApi";

type State =
  | { kind: "idle" }
  | { kind: "uploading"; sent: number; total: number }
  | { kind: "done"; result: ImportResult; rows: number }
  | { kind: "refused"; rows: RowProblem[]; detail: string; total: number };

interface RowProblem {
  line: string;
  column: string;
  message: string;
}

/** `row[3].email` → line 3, column email; `header[2]` → the header line; anything else as it is. */
export function rowProblem(issue: ProblemIssue): RowProblem {
  const row = /^row\[(\d+)\](?:\.(.+?)|\[(\d+)\])?$/.exec(issue.path);
  if (row) return { line: row[1] ?? "", column: row[2] ?? (row[3] ? `column ${row[3]}` : "—"), message: issue.message };
  const header = /^header\[(\d+)\]$/.exec(issue.path);
  if (header) return { line: "1 (header)", column: `column ${Number(header[1]) + 1}`, message: issue.message };
  return { line: "—", column: issue.path || "—", message: issue.message };
}

const countRows = async (file: File) => Math.max(0, (await file.text()).split(/\r?\n/).filter((l) => l.trim() !== "").length - 1);

export function CsvImport({ object }: { object: ObjectInfo }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [state, setState] = useState<State>({ kind: "idle" });
  const noun = object.plural;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setState({ kind: "uploading", sent: 0, total: file.size });
    const rows = await countRows(file);
    try {
      const result = await importCsv(object.plural, file, (sent, total) => setState({ kind: "uploading", sent, total }));
      setState({ kind: "done", result, rows });
      await queryClient.invalidateQueries({ queryKey: ["records", object.plural] });
    } catch (error) {
      const issues = error instanceof ApiError ? (((error.problem as { errors?: ProblemIssue[] })?.errors ?? []) as ProblemIssue[]) : [];
      const detail = error instanceof Error ? error.message : String(error);
      setState({ kind: "refused", rows: issues.map(rowProblem), detail, total: rows });
    }
  };

  return (
    <section className={styles.csvPanel} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Import {noun} from CSV</h2>
      <p className={ui.hint}>
        The first line names the fields (API names such as <code>last_name</code>, <code>email</code>); each other line becomes a new{" "}
        {object.label.toLowerCase()}. All or nothing: if one line is wrong, nothing is imported and the lines to fix are listed.
      </p>
      <form className={styles.importForm} onSubmit={submit}>
        <div className={ui.field}>
          <label className={ui.label} htmlFor={`${id}-file`}>
            CSV file
          </label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setState({ kind: "idle" });
            }}
          />
        </div>
        <button type="submit" className={ui.button} disabled={!file || state.kind === "uploading"}>
          {state.kind === "uploading" ? "Importing…" : "Import"}
        </button>
      </form>
      {state.kind === "uploading" ? (
        <div className={styles.progress}>
          <label htmlFor={`${id}-progress`}>Uploading {file?.name}</label>
          <progress id={`${id}-progress`} max={state.total || 1} value={state.sent} />
          <span aria-live="polite">
            {state.sent < state.total
              ? `${Math.round((100 * state.sent) / (state.total || 1))} % sent`
              : "Sent; the server is checking each line…"}
          </span>
        </div>
      ) : null}
      {state.kind === "done" ? (
        <div role="status" className={styles.success}>
          <strong>
            Created {state.result.imported} {state.result.imported === 1 ? object.label.toLowerCase() : noun}.
          </strong>{" "}
          {state.rows} lines read · {state.result.imported} created · 0 updated · 0 failed. (An import creates new records; it never updates
          existing ones.)
        </div>
      ) : null}
      {state.kind === "refused" ? (
        <div role="alert" className={ui.alert}>
          <strong>
            Nothing was imported:{" "}
            {state.rows.length > 0 ? `${state.rows.length} problem${state.rows.length === 1 ? "" : "s"} in the file.` : state.detail}
          </strong>
          {state.rows.length > 0 ? (
            <>
              <p>
                {state.total} lines read · 0 created · 0 updated · {new Set(state.rows.map((r) => r.line)).size} failed. Fix these lines and
                import the file again.
              </p>
              <table className={`${ui.table} ${styles.resultTable}`}>
                <caption className="visually-hidden">Lines that could not be imported</caption>
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col">Column</th>
                    <th scope="col">Problem</th>
                  </tr>
                </thead>
                <tbody>
                  {state.rows.map((r) => (
                    <tr key={`${r.line}-${r.column}-${r.message}`}>
                      <td>{r.line}</td>
                      <td>{r.column}</td>
                      <td>{r.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <p>Check the file and try again; if it keeps happening, ask your Handoff admin.</p>
          )}
        </div>
      ) : null}
    </section>
  );
}
