/**
 * The summary at the top of a form the server refused: what happened, what to do, and a link
 * to each field it named (the messages themselves sit under the fields). It takes the focus
 * when it appears, so keyboard and screen-reader users land on it.
 */
import { useEffect, useRef } from "react";
import { ui } from "../components/ui";
import type { FieldInfo } from "./model";
import type { FormProblem } from "./problems";
import styles from "./records.module.css";

export function ProblemSummary({
  problem,
  fields,
  idOf,
}: {
  problem: FormProblem;
  fields: readonly FieldInfo[];
  idOf: (field: string) => string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  // Each new refusal (a new problem object) moves the focus here again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: problem is the trigger, not a value read inside
  useEffect(() => {
    ref.current?.focus();
  }, [problem]);
  const named = fields.filter((f) => problem.byField[f.name]);
  return (
    <div ref={ref} role="alert" tabIndex={-1} className={`${ui.alert} ${styles.summary}`}>
      <strong>{problem.title}</strong>
      <p>{problem.next}</p>
      {named.length > 0 || problem.other.length > 0 ? (
        <ul>
          {named.map((f) => (
            <li key={f.name}>
              <a href={`#${idOf(f.name)}`}>{f.label}</a>: {problem.byField[f.name]?.join(" ")}
            </li>
          ))}
          {problem.other.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
