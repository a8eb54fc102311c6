/** A workflow's status as a badge, its meaning in the title. */
import { STATUS_MEANING, STATUS_WORDS, type WorkflowStatus } from "./words";
import styles from "./workflows.module.css";

export function StatusBadge({ status }: { status: WorkflowStatus }) {
  return (
    <span className={styles[status]} title={STATUS_MEANING[status]}>
      {STATUS_WORDS[status]}
    </span>
  );
}
