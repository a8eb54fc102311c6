/**
 * An API problem on the KPI pages: a refused parameter (400) named by the filter that set it
 * ("From: from is after to"); anything else as the app's error message.
 */
import { ApiError } from "../../api/client";
import { ErrorMessage, ui } from "../../components/ui";

const FILTER_NAMES: Record<string, string> = {
  from: "From",
  to: "To",
  object: "Records counted",
  owner_id: "Owner",
  team_id: "Owner's team",
  workflow: "Workflow",
  version: "Version",
  handled: "Records",
};

export function KpiError({ error, what }: { error: unknown; what: string }) {
  const issues = error instanceof ApiError && error.status === 400 ? (error.problem?.errors ?? []) : [];
  // A refused filter is not a server fault: say which filter to change, not "try again".
  if (issues.length === 0) return <ErrorMessage error={error} what={what} />;
  return (
    <div role="alert" className={ui.alert}>
      <strong>Could not count {what} with these filters.</strong> Change what the server refused:
      <ul>
        {issues.map((i) => (
          <li key={`${i.path}:${i.message}`}>
            {FILTER_NAMES[i.path] ?? i.path}: {i.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
