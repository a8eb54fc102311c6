/**
 * A page for some roles only. Anyone else who reaches it — by a link or by typing its address —
 * sees a clear refusal in the shell, not a blank page or a silent redirect; the page's queries
 * never run for them. The API refuses the same calls (404) whatever the page shows: this is for
 * the person, not the security.
 */
import { Link, useRouteContext } from "@tanstack/react-router";
import type { ReactNode } from "react";
import type { Role } from "../api/session";
import { PageHeader, ui } from "./ui";

export function RoleGate({ roles, who, title, children }: { roles: readonly Role[]; who: string; title: string; children: ReactNode }) {
  const { session } = useRouteContext({ from: "/app" });
  if (roles.includes(session.user.role)) return <>{children}</>;
  return (
    <>
      <PageHeader title={title} />
      <section className={ui.panel} aria-labelledby="refused">
        <h2 id="refused">Only {who} can see this page</h2>
        <p>
          You are signed in as {/^[aeiou]/.test(session.user.role) ? "an" : "a"} {session.user.role}. If you need what is here, ask an admin
          of your workspace ({session.workspace.name}).
        </p>
        <p>
          <Link to="/">Back to Home</Link>
        </p>
      </section>
    </>
  );
}
