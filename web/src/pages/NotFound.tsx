import { Link } from "@tanstack/react-router";
import { EmptyState, ui } from "../components/ui";

export function NotFound() {
  return (
    <main className={ui.standalone}>
      <EmptyState title="This page does not exist">
        The address may be mistyped or the page moved. <Link to="/">Go to the home page</Link>.
      </EmptyState>
    </main>
  );
}
