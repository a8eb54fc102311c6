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
import { readInboxSearch } from "./pages/approvals/inbox-search";
import { prefetchBuilder } from "./pages/builder/data";
import { readReviewSearch } from "./pages/data-quality/review-search";
import { readKpiSearch } from "./pages/kpis/kpi-search";
import { NotFound } from "./pages/NotFound";
import type { RunsSearch } from "./pages/Runs";
import { prefetchRecordPage } from "./pages/record/data";
import { readClocksSearch } from "./pages/sla/clocks-search";
import { readListSearch } from "./records/filters";
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

/**
 * Where an approval email's link lands (/approvals/confirm#t=<token>): outside the signed-in
 * shell, because the token is the credential and the approver may read their mail on a device
 * where they are not signed in. The page decides nothing until its Confirm button is pressed.
 */
const approvalConfirmRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/approvals/confirm",
  component: lazyRouteComponent(() => import("./pages/approvals/ConfirmLink"), "ConfirmLink"),
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

/** One object's records (filters, sort, search and page cursors in the search params), and its forms. */
const recordListRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/records/$object",
  validateSearch: readListSearch,
  component: lazyRouteComponent(() => import("./pages/RecordList"), "RecordList"),
});

const recordNewRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/records/$object/new",
  component: lazyRouteComponent(() => import("./pages/RecordNew"), "RecordNew"),
});

const recordEditRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/records/$object/$id/edit",
  component: lazyRouteComponent(() => import("./pages/RecordEdit"), "RecordEdit"),
});

/** The merge screen: this record and another side by side, field by field (issue 20). */
const recordMergeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/records/$object/$id/merge",
  component: lazyRouteComponent(() => import("./pages/RecordMerge"), "RecordMerge"),
});

/** One record: fields, related records, Automation panel, timeline, Run workflow ($object = the API's plural). */
const recordRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/records/$object/$id",
  // Its reads start with the navigation, side by side and while the page's chunk downloads.
  loader: ({ context, params }) => prefetchRecordPage(context.queryClient, params.object, params.id),
  component: lazyRouteComponent(() => import("./pages/RecordPage"), "RecordPage"),
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

/** A new workflow: name, key, object, trigger, why; saved as a first draft and opened in the builder. */
const newWorkflowRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/workflows/new",
  component: lazyRouteComponent(() => import("./pages/builder/NewWorkflow"), "NewWorkflow"),
});

/** The workflow builder: the latest version of a workflow on an editable canvas. */
const builderRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/workflows/$id/edit",
  loader: ({ context, params }) => prefetchBuilder(context.queryClient, params.id),
  component: lazyRouteComponent(() => import("./pages/builder/Builder"), "Builder"),
});

/** "What would this change have done?": the live workflow's triggers replayed against its draft. */
const replayRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/workflows/$id/replay",
  component: lazyRouteComponent(() => import("./pages/workflows/Replay"), "Replay"),
});

/** Two versions of a workflow compared on the graph: what was added, changed and removed. */
const compareRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/workflows/$id/compare",
  validateSearch: (search: Record<string, unknown>): { from?: number; to?: number } => ({
    ...(versionNumber(search.from) !== undefined ? { from: versionNumber(search.from) } : {}),
    ...(versionNumber(search.to) !== undefined ? { to: versionNumber(search.to) } : {}),
  }),
  component: lazyRouteComponent(() => import("./pages/builder/versions/VersionCompare"), "VersionCompare"),
});

/** A version number from the URL (`?to=3`), or undefined for anything else. */
function versionNumber(v: unknown): number | undefined {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : Number.NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

const recipesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/recipes",
  component: lazyRouteComponent(() => import("./pages/Recipes"), "Recipes"),
});

const runsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/runs",
  // The list's filters, kept in the URL (pages/Runs.tsx); a count on the workflow graph opens
  // the runs of one version since an instant that passed, wait at or failed at one step.
  validateSearch: (search: Record<string, unknown>): RunsSearch => {
    const text = (k: string) => (typeof search[k] === "string" && search[k] ? { [k]: search[k] as string } : {});
    const version = versionNumber(search.version);
    const state = search.step_state;
    return {
      ...text("status"),
      ...text("workflow"),
      ...text("since"),
      ...text("until"),
      ...text("step"),
      ...(version !== undefined ? { version } : {}),
      ...(state === "passed" || state === "waiting" || state === "failed" ? { step_state: state } : {}),
    };
  },
  component: lazyRouteComponent(() => import("./pages/Runs"), "Runs"),
});

const runRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/runs/$id",
  component: lazyRouteComponent(() => import("./pages/RunInspector"), "RunInspector"),
});

/** Admins and managers (the page's RoleGate tells anyone else so); the API refuses the outbox to other roles too. */
const outboxRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/outbox",
  component: lazyRouteComponent(() => import("./pages/Outbox"), "Outbox"),
});

const notificationsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/notifications",
  component: lazyRouteComponent(() => import("./pages/Notifications"), "Notifications"),
});

/** Admins only (RoleGate in the page; the API refuses passwords and sessions to other roles). */
const adminUsersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/admin/users",
  component: lazyRouteComponent(() => import("./pages/AdminUsers"), "AdminUsers"),
});

/** Admins only (RoleGate in the page; the API refuses changes to other roles). */
const workspaceSettingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/admin/settings",
  component: lazyRouteComponent(() => import("./pages/WorkspaceSettings"), "WorkspaceSettings"),
});

/** Routing (issue 16): rule sets — read by everyone, changed by admins and managers (the API enforces it). */
const ruleSetsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/routing/rule-sets",
  component: lazyRouteComponent(() => import("./pages/routing/RuleSets"), "RuleSets"),
});

const ruleSetRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/routing/rule-sets/$id",
  component: lazyRouteComponent(() => import("./pages/routing/RuleSet"), "RuleSet"),
});

// ---- Rule set editing (issue 16): a new rule set. A static segment, so it is matched before $id. ----
const newRuleSetRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/routing/rule-sets/new",
  component: lazyRouteComponent(() => import("./pages/routing/NewRuleSet"), "NewRuleSet"),
});
// ---- end of rule set editing ----

/** Each person's own availability (and, for admins and managers, the team's). */
const availabilityRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/routing/availability",
  component: lazyRouteComponent(() => import("./pages/routing/MyAvailability"), "MyAvailability"),
});

// ---- SLA policies (issue 17): read by every role, changed by admins (RoleGate in the pages; the API enforces it) ----
const slaPoliciesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/sla/policies",
  component: lazyRouteComponent(() => import("./pages/sla/Policies"), "Policies"),
});
const newSlaPolicyRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/sla/policies/new",
  component: lazyRouteComponent(() => import("./pages/sla/Policy"), "NewPolicy"),
});
const slaPolicyRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/sla/policies/$name",
  component: lazyRouteComponent(() => import("./pages/sla/Policy"), "PolicyPage"),
});
// ---- end of SLA policies block ----

// ---- SLA clocks at risk and in breach (issue 17): every role reads them; the tab and filters in the URL ----
const slaClocksRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/sla/clocks",
  validateSearch: readClocksSearch,
  component: lazyRouteComponent(() => import("./pages/sla/Clocks"), "Clocks"),
});
// ---- end of SLA clocks block ----

const queuesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/routing/queues",
  component: lazyRouteComponent(() => import("./pages/routing/Queues"), "Queues"),
});

// ---- Queues: new and edit (issue 16's queue editor; admins and managers, RoleGate in the page) ----
const newQueueRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/routing/queues/new",
  component: lazyRouteComponent(() => import("./pages/routing/Queue"), "NewQueue"),
});

const queueRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/routing/queues/$id",
  component: lazyRouteComponent(() => import("./pages/routing/Queue"), "QueuePage"),
});
// ---- end of queues block ----

// ---- Approvals (issue 18): the inbox (tab and filters in the URL) and one request ----
const approvalsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/approvals",
  validateSearch: readInboxSearch,
  component: lazyRouteComponent(() => import("./pages/approvals/Inbox"), "Inbox"),
});

const approvalRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/approvals/$id",
  component: lazyRouteComponent(() => import("./pages/approvals/RequestPage"), "RequestPage"),
});
// ---- end of approvals block ----

// ---- Data quality (issue 20): the review queue (filters in the URL), matching ----
const reviewQueueRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/data-quality/review",
  validateSearch: readReviewSearch,
  component: lazyRouteComponent(() => import("./pages/data-quality/ReviewQueue"), "ReviewQueue"),
});

// Data rules: validation rules, stage gates and phone formats; read by every role, changed by admins (RoleGate and the API)
const dataRulesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/data-quality/rules",
  component: lazyRouteComponent(() => import("./pages/data-quality/Rules"), "Rules"),
});
const newDataRuleRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/data-quality/rules/new",
  component: lazyRouteComponent(() => import("./pages/data-quality/Rule"), "NewRule"),
});
const dataRuleRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/data-quality/rules/$id",
  component: lazyRouteComponent(() => import("./pages/data-quality/Rule"), "RulePage"),
});

/** Matching: the match rules (read by everyone, changed by admins) and the duplicate scans. */
const matchingRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/data-quality/matching",
  component: lazyRouteComponent(() => import("./pages/data-quality/Matching"), "Matching"),
});

const newMatchRuleRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/data-quality/matching/new",
  component: lazyRouteComponent(() => import("./pages/data-quality/MatchRuleForm"), "NewMatchRule"),
});

const matchRuleRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/data-quality/matching/$rule",
  component: lazyRouteComponent(() => import("./pages/data-quality/MatchRuleForm"), "EditMatchRule"),
});
// ---- end of data quality block ----

// ---- Business calendars (issue 17): read by everyone, changed by admins (RoleGate and the API) ----
const calendarsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/calendars",
  component: lazyRouteComponent(() => import("./pages/calendars/Calendars"), "Calendars"),
});

const newCalendarRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/calendars/new",
  component: lazyRouteComponent(() => import("./pages/calendars/Calendar"), "NewCalendar"),
});

const calendarRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/calendars/$id",
  component: lazyRouteComponent(() => import("./pages/calendars/Calendar"), "CalendarPage"),
});
// ---- end of calendars block ----

// ---- Scoring (issue 21): models read by every role, changed by admins (RoleGate and the API) ----
const scoringRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/scoring",
  component: lazyRouteComponent(() => import("./pages/scoring/Models"), "Models"),
});
const newScoringModelRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/scoring/new",
  component: lazyRouteComponent(() => import("./pages/scoring/Model"), "NewModel"),
});
const scoringModelRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/scoring/$key",
  component: lazyRouteComponent(() => import("./pages/scoring/Model"), "ModelPage"),
});
// ---- end of scoring block ----

// ---- AI models (issue 24): every role reads and tries them; admins make and train them (the API refuses others) ----
const aiRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/ai",
  component: lazyRouteComponent(() => import("./pages/ai/AiModels"), "AiModels"),
});
// ---- end of AI block ----

// ---- KPIs (issue 22): every role reads them; the period and cuts in the URL so a view can be shared ----
const kpisRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/kpis",
  validateSearch: readKpiSearch,
  component: lazyRouteComponent(() => import("./pages/kpis/Kpis"), "Kpis"),
});
/** The records behind a KPI counted over records (lead response time, manual touches). */
const kpiRecordsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/kpis/$key/records",
  validateSearch: readKpiSearch,
  component: lazyRouteComponent(() => import("./pages/kpis/KpiRecords"), "KpiRecords"),
});
// ---- end of KPIs block ----

const routeTree = rootRoute.addChildren([
  signInRoute,
  approvalConfirmRoute,
  appRoute.addChildren([
    homeRoute,
    recordsRoute,
    recordListRoute,
    recordNewRoute,
    recordEditRoute,
    recordMergeRoute,
    recordRoute,
    workflowsRoute,
    newWorkflowRoute,
    workflowRoute,
    builderRoute,
    compareRoute,
    replayRoute,
    recipesRoute,
    runsRoute,
    runRoute,
    outboxRoute,
    notificationsRoute,
    adminUsersRoute,
    workspaceSettingsRoute,
    ruleSetsRoute,
    newRuleSetRoute,
    ruleSetRoute,
    availabilityRoute,
    slaPoliciesRoute,
    newSlaPolicyRoute,
    slaPolicyRoute,
    slaClocksRoute,
    queuesRoute,
    newQueueRoute,
    queueRoute,
    calendarsRoute,
    newCalendarRoute,
    calendarRoute,
    approvalsRoute,
    approvalRoute,
    reviewQueueRoute,
    dataRulesRoute,
    newDataRuleRoute,
    dataRuleRoute,
    matchingRoute,
    newMatchRuleRoute,
    matchRuleRoute,
    scoringRoute,
    newScoringModelRoute,
    scoringModelRoute,
    aiRoute,
    kpisRoute,
    kpiRecordsRoute,
  ]),
]);

export function makeRouter(queryClient: QueryClient) {
  return createRouter({ routeTree, context: { queryClient }, defaultPreload: "intent", scrollRestoration: true });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof makeRouter>;
  }
}
