/**
 * The conflict warnings of a publish (issue 19, item 4; docs/testing-workflows.md "Conflicts"), in
 * plain words: two workflows writing one field with different values — each named and linked to
 * its page, with the value it writes — and workflows that trigger each other, drawn as the chain
 * A → B → A with the field each writes. The publish dialog lists them above the acknowledgement
 * checkbox; the version history lists the acknowledged ones.
 */
import { Link } from "@tanstack/react-router";
import type { Schemas } from "../../api/client";
import styles from "./builder.module.css";

export type ConflictWarning = Schemas["ConflictWarning"];

function WorkflowLink({ w }: { w: { key: string; name: string } }) {
  return (
    <Link to="/workflows/$id" params={{ id: w.key }} target="_blank">
      {w.name}
    </Link>
  );
}

function WriteConflict({ warning }: { warning: ConflictWarning }) {
  const field = warning.fields[0] ?? "";
  return (
    <>
      <strong>
        Two workflows set {field} on the same {warning.object}
      </strong>
      <ul>
        {warning.workflows.map((w) => (
          <li key={w.key}>
            <WorkflowLink w={w} /> sets <code>{field}</code> to{" "}
            {[...new Set(warning.writes.filter((x) => x.workflow === w.key).map((x) => x.value))].join(" or ")}
          </li>
        ))}
      </ul>
      <p>Both can apply to one {warning.object}: whichever runs last wins.</p>
    </>
  );
}

function TriggerCycle({ warning }: { warning: ConflictWarning }) {
  const chain = [...warning.workflows, ...warning.workflows.slice(0, 1)];
  const fieldsOf = (key: string) => [...new Set(warning.writes.filter((x) => x.workflow === key).map((x) => x.field))].join(", ");
  return (
    <>
      <strong>Workflows trigger each other</strong>
      <p className={styles.chain}>
        {chain.map((w, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the first workflow closes the chain again; its place is its identity
          <span key={`${w.key}-${i}`}>
            {i > 0 ? " → " : null}
            <WorkflowLink w={w} />
          </span>
        ))}
      </p>
      <ul>
        {warning.workflows.map((w, i) => (
          <li key={w.key}>
            {w.name} writes <code>{fieldsOf(w.key)}</code>, which can start {(warning.workflows[i + 1] ?? warning.workflows[0])?.name}
          </li>
        ))}
      </ul>
      <p>The loop cap stops the chain at its depth, but every turn writes again.</p>
    </>
  );
}

export function ConflictList({ warnings }: { warnings: readonly ConflictWarning[] }) {
  return (
    <ul className={styles.conflicts}>
      {warnings.map((w) => (
        <li key={w.id} className={styles.conflict} data-warning={w.id}>
          {w.kind === "write_conflict" ? <WriteConflict warning={w} /> : <TriggerCycle warning={w} />}
        </li>
      ))}
    </ul>
  );
}
