/**
 * A refused request in words: the problem's sentence and each field it names ("record.score:
 * expected a number"), so that the admin sees which value of the form to fix.
 */
import { ApiError } from "../../../api/client";
import { ui } from "../../../components/ui";

export function ProblemText({ error, what }: { error: unknown; what: string }) {
  const problems = error instanceof ApiError ? (error.problem?.errors ?? []) : [];
  return (
    <div role="alert" className={ui.alert}>
      <strong>{what}.</strong> {error instanceof Error ? error.message : String(error)}
      {problems.length > 0 ? (
        <ul>
          {problems.map((p) => (
            <li key={`${p.path}:${p.code}`}>
              <code>{p.path}</code>: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
