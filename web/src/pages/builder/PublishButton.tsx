/**
 * The toolbar's Publish: enabled only when the server found no problem in the latest edit. While
 * it is disabled its reason sits beside it ("Fix 2 problems to publish"), as a button that opens
 * the list of problems — a disabled button cannot be focused, so the reason must be reachable
 * on its own.
 */
import { ui } from "../../components/ui";
import styles from "./builder.module.css";
import { problemCount } from "./problem-words";

export function PublishButton({
  problems,
  checking,
  onPublish,
  onShowProblems,
}: {
  problems: number;
  checking: boolean;
  onPublish: () => void;
  onShowProblems: () => void;
}) {
  const blocked = problems > 0;
  return (
    <span className={styles.publish}>
      {blocked ? (
        <button type="button" id="publish-reason" className={styles.publishReason} onClick={onShowProblems}>
          Fix {problemCount(problems)} to publish
        </button>
      ) : null}
      <button
        type="button"
        className={ui.button}
        disabled={blocked || checking}
        aria-describedby={blocked ? "publish-reason" : undefined}
        onClick={onPublish}
      >
        Publish…
      </button>
    </span>
  );
}
