import type { ErrorComponentProps } from "@tanstack/react-router";
import { ErrorMessage, ui } from "./ui";

export function RouteError({ error }: ErrorComponentProps) {
  return (
    <main className={ui.standalone}>
      <ErrorMessage error={error} what="this page" />
    </main>
  );
}
