/** The signed-in frame: header (product, person, workspace, sign out), navigation, the page. */
import { useQueryClient } from "@tanstack/react-query";
import { Link, Outlet, useNavigate, useRouteContext } from "@tanstack/react-router";
import { useState } from "react";
import { signOut } from "../api/session";
import { sessionQuery } from "../session";
import { ApprovalsCount } from "./ApprovalsCount";
import styles from "./AppShell.module.css";
import { InboxLink } from "./InboxLink";
import { ui } from "./ui";

const ROLE_NAMES = { admin: "Admin", manager: "Manager", rep: "Rep", integration: "Integration" } as const;

export function AppShell() {
  const { session } = useRouteContext({ from: "/app" });
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [leaving, setLeaving] = useState(false);

  const onSignOut = async () => {
    setLeaving(true);
    try {
      await signOut();
    } finally {
      queryClient.clear();
      queryClient.setQueryData(sessionQuery.queryKey, null);
      await navigate({ to: "/sign-in", replace: true });
    }
  };

  // Grouped by what a person comes for, so that twenty links read as four short lists: the day's
  // work, what runs by itself, the data and what it shows, and the workspace's administration.
  const manager = session.user.role === "admin" || session.user.role === "manager";
  const groups: ReadonlyArray<{ label: string; links: ReadonlyArray<{ to: string; label: string }> }> = [
    {
      label: "Your work",
      links: [
        { to: "/", label: "Home" },
        { to: "/records", label: "Records" },
        { to: "/approvals", label: "Approvals" },
        { to: "/data-quality/review", label: "Review queue" },
        { to: "/routing/availability", label: "My availability" },
      ],
    },
    {
      label: "Automation",
      links: [
        { to: "/workflows", label: "Workflows" },
        { to: "/runs", label: "Runs" },
        { to: "/routing/rule-sets", label: "Rule sets" },
        { to: "/routing/queues", label: "Queues" },
        { to: "/sla/policies", label: "SLA policies" },
        { to: "/sla/clocks", label: "SLA at risk" },
        { to: "/calendars", label: "Calendars" },
      ],
    },
    {
      label: "Data and results",
      links: [
        { to: "/data-quality/rules", label: "Data rules" },
        { to: "/data-quality/matching", label: "Matching" },
        { to: "/scoring", label: "Scoring" },
        { to: "/ai", label: "AI models" },
        { to: "/kpis", label: "KPIs" },
      ],
    },
    {
      label: "Workspace",
      links: [
        ...(manager ? [{ to: "/outbox", label: "Outbox" }] : []),
        ...(session.user.role === "admin"
          ? [
              { to: "/admin/users", label: "Access" },
              { to: "/admin/settings", label: "Settings" },
            ]
          : []),
      ],
    },
  ].filter((g) => g.links.length > 0);

  return (
    <div className={styles.shell}>
      <a className={styles.skip} href="#main">
        Skip to content
      </a>
      <header className={styles.header}>
        <Link to="/" className={styles.brand}>
          <img className={styles.logo} src="/favicon.svg" alt="" />
          Handoff
        </Link>
        <div className={styles.who}>
          <InboxLink />
          <div className={styles.person} data-testid="signed-in-as">
            {session.user.name}
            <span>
              {ROLE_NAMES[session.user.role]} · {session.workspace.name}
            </span>
          </div>
          <button type="button" className={ui.secondary} onClick={onSignOut} disabled={leaving}>
            {leaving ? "Signing out…" : "Sign out"}
          </button>
        </div>
      </header>
      <nav className={styles.nav} aria-label="Sections">
        {groups.map((g, i) => (
          <div key={g.label} className={styles.group}>
            {/* Not a heading: the page's own h1 stays the first; each list is named by its label. */}
            <p className={styles.groupLabel} id={`nav-group-${i}`}>
              {g.label}
            </p>
            <ul aria-labelledby={`nav-group-${i}`}>
              {g.links.map((s) => (
                <li key={s.to}>
                  <Link
                    to={s.to}
                    className={styles.link}
                    activeProps={{ className: `${styles.link} ${styles.active}`, "aria-current": "page" }}
                    activeOptions={{ exact: s.to === "/" }}
                  >
                    {s.label}
                    {s.to === "/approvals" ? <ApprovalsCount /> : null}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      <main id="main" className={styles.main} tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
