/**
 * The app's routes, in one place. Every page is its own lazily loaded chunk
 * (`lazyRouteComponent`), so the first route loads only what it shows. Routes under `app`
 * require a session: a visitor without one goes to /sign-in?redirect=<where they were going>.
 * To add a page: a component in pages/, one `createRoute` here, one line in `routeTree`, and a
 * link in components/Nav.tsx if it belongs in the navigation (see docs/web.md).
 */
import type { QueryClient } from "@tanstack/react-query";
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, Outlet, redirect } from "@tanstack/react-router";
import { RouteError } from "./components/RouteError";
import { NotFound } from "./pages/NotFound";
import { safeRedirect, sessionQuery } from "./session";

export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFound,
  errorComponent: RouteError,
});

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sign-in",
  validateSearch: (search: Record<string, unknown>): { redirect?: string } =>
    typeof search.redirect === "string" ? { redirect: safeRedirect(search.redirect) } : {},
  beforeLoad: async ({ context, search }) => {
    const session = await context.queryClient.ensureQueryData(sessionQuery);
    if (session) throw redirect({ href: safeRedirect(search.redirect) });
  },
  component: lazyRouteComponent(() => import("./pages/SignIn"), "SignIn"),
});

/** The signed-in part of the app: the shell around every page below it. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "app",
  beforeLoad: async ({ context, location }) => {
    const session = await context.queryClient.ensureQueryData(sessionQuery);
    if (!session) throw redirect({ to: "/sign-in", search: { redirect: location.href } });
    return { session };
  },
  component: lazyRouteComponent(() => import("./components/AppShell"), "AppShell"),
});

const homeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/",
  component: lazyRouteComponent(() => import("./pages/Home"), "Home"),
});

const recordsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/records",
  component: lazyRouteComponent(() => import("./pages/Records"), "Records"),
});

const workflowsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/workflows",
  component: lazyRouteComponent(() => import("./pages/Workflows"), "Workflows"),
});

const workflowRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/workflows/$id",
  component: lazyRouteComponent(() => import("./pages/Workflow"), "Workflow"),
});

const recipesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/recipes",
  component: lazyRouteComponent(() => import("./pages/Recipes"), "Recipes"),
});

const runsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/runs",
  component: lazyRouteComponent(() => import("./pages/Runs"), "Runs"),
});

/** Admins only; the API refuses the outbox to other roles too. */
const outboxRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/outbox",
  beforeLoad: ({ context }) => {
    if (context.session.user.role !== "admin") throw redirect({ to: "/" });
  },
  component: lazyRouteComponent(() => import("./pages/Outbox"), "Outbox"),
});

const routeTree = rootRoute.addChildren([
  signInRoute,
  appRoute.addChildren([homeRoute, recordsRoute, workflowsRoute, workflowRoute, recipesRoute, runsRoute, outboxRoute]),
]);

export function makeRouter(queryClient: QueryClient) {
  return createRouter({ routeTree, context: { queryClient }, defaultPreload: "intent", scrollRestoration: true });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof makeRouter>;
  }
}
