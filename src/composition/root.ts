/**
 * The one composition root: configuration → store adapter → services. Only this file (and
 * tests of the adapters themselves) import concrete adapters.
 *
 * Who wakes whom in one process (each arrow a `Nudge` constructor argument of the component on
 * its left; nothing is assigned after construction). Without a nudge, each would find the work
 * at its next poll; a nudge is synchronous and only shortens that wait:
 *
 *   RecordWriter  ── commit (group commit, its own transactions) ──────────┐
 *   Intake        ── accepted delivery committed ─────────────────────────┤
 *   SuppressionService ── email status written ───────────────────────────┼──► Worker (match, execute)
 *   WorkflowService ── publish, enrollment, run control committed ────────┤
 *   Dispatcher    ── outcome that resumes a run settled ──────────────────┘
 *   Worker        ── a pass executed work items (maybe enqueued actions) ─┬──► Dispatcher (deliver)
 *   OutboxService ── dead letters replayed ───────────────────────────────┘
 *
 * The worker executes through the writer, and the worker and the dispatcher wake each other, so
 * the two nudges are made first (below, `nudge`) and reach their target once it is built.
 * Shutdown (`serve`, `worker`) stops the worker, the dispatcher and housekeeping together; a
 * nudge to a stopped loop only marks it awake.
 */

import type { Logger } from "pino";
import { CustomFieldService } from "../app/admin/custom-fields.js";
import { TokenService } from "../app/admin/tokens.js";
import { WorkspaceService } from "../app/admin/workspaces.js";
import { AiModelAdmin } from "../app/ai/ai-model-admin.js";
import { AiTrainer } from "../app/ai/ai-trainer.js";
import { ModelPredictor } from "../app/ai/model-predictor.js";
import { PredictionReader } from "../app/ai/predictions.js";
import { emailAsk } from "../app/approvals/approval-links.js";
import { ApprovalService } from "../app/approvals/approval-service.js";
import { CredentialService } from "../app/auth/credentials.js";
import { CalendarAdmin } from "../app/calendars/calendar-admin.js";
import { CommitCounters } from "../app/commit-counters.js";
import { SealedConnectorDirectory } from "../app/connectors/connector-directory.js";
import { ConnectorService } from "../app/connectors/connector-service.js";
import { CsvService } from "../app/csv/csv-service.js";
import { FieldFormatAdmin } from "../app/data-quality/formats-admin.js";
import { ValidationRuleAdmin } from "../app/data-quality/rules-admin.js";
import { StatusRuleAdmin } from "../app/data-quality/status-rules-admin.js";
import { MatchRuleAdmin } from "../app/duplicates/match-rules.js";
import { DedupeScanner } from "../app/duplicates/scan.js";
import { emailSettledHook } from "../app/email/email-settled.js";
import { EmailTracking } from "../app/email/email-tracking.js";
import { SuppressionService } from "../app/email/suppression-service.js";
import { TrackingTokens } from "../app/email/tracking-tokens.js";
import { UnsubscribeTokens } from "../app/email/unsubscribe-tokens.js";
import { EventService } from "../app/events/event-service.js";
import { buildInbound, type InboundServices } from "../app/inbound/inbound-services.js";
import { KpiService } from "../app/kpis/kpi-service.js";
import { RecordMerges } from "../app/merges/merge-service.js";
import { NotificationService } from "../app/notifications/notification-service.js";
import { OperationalMetrics } from "../app/operations/operational-metrics.js";
import { OutboxService } from "../app/outbox/outbox-service.js";
import { type Clock, type IdGenerator, type Nudge, systemClock, ulidGenerator } from "../app/ports.js";
import { recipesDir } from "../app/recipes/recipe-files.js";
import { RecipeService } from "../app/recipes/recipe-service.js";
import { RecordReader } from "../app/records/record-reader.js";
import { RecordWriter } from "../app/records/record-writer.js";
import { ReviewQueue } from "../app/review-queue/review-queue.js";
import type { OwnerPin } from "../app/sandbox/sandbox-port.js";
import { ScoringAdmin } from "../app/scoring/scoring-admin.js";
import { SecretBox } from "../app/secrets/secret-box.js";
import { SlaCalendars } from "../app/sla/clock-calendars.js";
import { SlaPolicyAdmin } from "../app/sla/sla-admin.js";
import { SlaClockReader } from "../app/sla/sla-clocks.js";
import { webhookTargets } from "../app/webhooks/webhook-targets.js";
import { WorkflowTestService } from "../app/workflow-tests/workflow-test-service.js";
import { WorkflowReviews } from "../app/workflows/reviews.js";
import { StepCounts } from "../app/workflows/step-counts.js";
import { TemplatePreview } from "../app/workflows/template-preview.js";
import { WorkflowOverview } from "../app/workflows/workflow-overview.js";
import { WorkflowService } from "../app/workflows/workflow-service.js";
import type { ConnectorDirectory } from "../connectors/contract.js";
import { EgressGuard } from "../connectors/egress/guard.js";
import { connectorDeliverers } from "../connectors/registry.js";
import { webhookDeliverer } from "../connectors/webhook/webhook-deliverer.js";
import { compileWorkflow } from "../engine/compile.js";
import { CompiledCache } from "../runtime/compiled-cache.js";
import { DEFAULT_DISPATCHER, Dispatcher, type DispatcherOptions, type SettledHook } from "../runtime/dispatcher.js";
import { Executor } from "../runtime/executor.js";
import { DEFAULT_HOUSEKEEPING, Housekeeping, type HousekeepingOptions } from "../runtime/housekeeping.js";
import { KpiRollup } from "../runtime/kpis/rollup.js";
import { DEFAULT_LIMITS, type LoopLimits, MATCHER, Matcher } from "../runtime/matcher.js";
import { ReviewsDue } from "../runtime/review-due.js";
import { onCreateRoutingHook } from "../runtime/routing/on-create.js";
import { ScoreDecay } from "../runtime/scoring/decay.js";
import { scoringEventHook } from "../runtime/scoring/hook.js";
import { ScoreModels } from "../runtime/scoring/models.js";
import { scorePreview } from "../runtime/scoring/preview.js";
import { ScoreRescorer } from "../runtime/scoring/rescore.js";
import { SlaFiring } from "../runtime/sla/fire.js";
import { slaEventHook } from "../runtime/sla/follow.js";
import { SlaPolicies } from "../runtime/sla/policies.js";
import { backfillCount, scheduleOnPublish, TimeTriggers } from "../runtime/time-triggers.js";
import { type Enqueue, webhookEventHook, webhookStepHook } from "../runtime/webhook-fan-out.js";
import { DEFAULT_WORKER, Worker, type WorkerOptions, workerId } from "../runtime/worker.js";
import type { OutboxKind } from "../store/outbox-ports.js";
import type { Store } from "../store/ports.js";
import { openPostgresStore } from "../store/postgres/postgres-store.js";
import { openSqliteStore } from "../store/sqlite/sqlite-store.js";
import { type Config, sqliteFile } from "./config.js";
import { openSecretBox } from "./master-key.js";
import { buildRouting, type RoutingServices } from "./routing.js";
import { sandboxOpener } from "./sandbox.js";

export interface Services {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  records: RecordReader;
  writer: RecordWriter;
  customFields: CustomFieldService;
  tokens: TokenService;
  /** Users' passwords and sessions (admins). */
  credentials: CredentialService;
  workspaces: WorkspaceService;
  csv: CsvService;
  events: EventService;
  workflows: WorkflowService;
  /** Seals and opens secrets at rest under the master key. */
  secretBox: SecretBox;
  /** Connector settings (secrets write-only) and the configuration audit. */
  connectors: ConnectorService;
  /** Connectors with their secrets opened, for the outbox at delivery time. */
  connectorDirectory: ConnectorDirectory;
  /** Checks every user-configured outbound destination (HTTP, chat, webhooks, SMTP host). */
  egress: EgressGuard;
  /** The runtime of this process; started by `serve` and `worker`, driven by hand in tests. */
  worker: Worker;
  /** How the record writer, the matcher and the executor grouped their work into commits (bench:engine reads it). */
  commits: CommitCounters;
  /** Delivers the outbox (external actions); started and stopped with the worker. */
  dispatcher: Dispatcher;
  /** Forgets what is kept only for a while (inbound deliveries); started and stopped with the worker. */
  housekeeping: Housekeeping;
  /** The outbox as people see it: lists and dead-letter replay. */
  outbox: OutboxService;
  /** A person's inbox: notifications, the unread count, marking read. */
  notifications: NotificationService;
  /** The email suppression list and unsubscribe links. */
  suppressions: SuppressionService;
  /** Email engagement tracking: the open pixel and tracked links, and what following them records (issue 21). */
  emailTracking: EmailTracking;
  /** Inbound hooks, web forms and outbound webhook subscriptions (issue 4). */
  inbound: InboundServices;
  /** The workflows list and page as people read them: status, 7-day counts, who changed them (issue 14). */
  workflowOverview: WorkflowOverview;
  /** Runs per step of a version in a period: the counts on the workflow graph (issue 15). */
  stepCounts: StepCounts;
  templatePreview: TemplatePreview;
  /** The recipe gallery: the ready recipes, what they need, installing them (issue 14). */
  recipes: RecipeService;
  /** Queues, rule sets, availability, assignment reasons and held records (issue 16). */
  routing: RoutingServices;
  /** Business calendars: opening hours, holidays, closed dates, the workspace's default (issue 17). */
  calendars: CalendarAdmin;
  /** Duplicate detection's match rules and one-off scans (issue 20; docs/data-quality.md). */
  matchRules: MatchRuleAdmin;
  aiModels: AiModelAdmin;
  /** Trainings of AI models, in this process off the request, with progress and versions (docs/ai.md "Training"). */
  aiTraining: AiTrainer;
  predictions: PredictionReader;
  dedupeScans: DedupeScanner;
  /** SLA policies: targets in business time, warnings, escalations (issue 17). */
  slaPolicies: SlaPolicyAdmin;
  /** Lead scoring: models, scores, the ledger (issue 21). */
  scoring: ScoringAdmin;
  /** Background rescores of published model versions; started beside the worker. */
  rescorer: ScoreRescorer;
  /** KPIs and their rollup, a consumer of the event log started beside the worker (issue 22). */
  kpis: KpiService;
  kpiRollup: KpiRollup;
  /** SLA clocks as people read them: a record's, and the at-risk list (issue 17). */
  slaClocks: SlaClockReader;
  /** Validation rules and stage gates (issue 20; the write path applies them: app/records/write/rules.ts). */
  validationRules: ValidationRuleAdmin;
  statusRules: StatusRuleAdmin;
  /** What happens to a phone number that does not normalise, per field (issue 20). */
  fieldFormats: FieldFormatAdmin;
  /** Approval requests: the inbox, a request, decisions and resubmissions (issue 18). */
  approvals: ApprovalService;
  /** Test runs in a sandbox and the test cases saved on workflows (issue 19). */
  workflowTests: WorkflowTestService;
  /** Workflow reviews and overrides (issue 19, item 5). */
  reviews: WorkflowReviews;
  /** Record merges and their undo (issue 20, item 4). */
  merges: RecordMerges;
  /** The review due check: one notification and one task per due date; started beside the worker. */
  reviewsDue: ReviewsDue;
  /** The data review queue: rule warnings, suspected duplicates, records people flagged (issue 20). */
  reviewQueue: ReviewQueue;
  /** The operators' Prometheus metrics, read from the store at each scrape (GET /metrics; issue 22). */
  metrics: OperationalMetrics;
}

export interface RuntimeOptions {
  worker?: Partial<WorkerOptions>;
  limits?: Partial<LoopLimits>;
  logger?: Logger;
  /** Default: no master key, so secrets are refused. */
  secretBox?: SecretBox;
  /** Base of links in emails (unsubscribe). Default http://127.0.0.1:3000. */
  publicUrl?: string;
  /** Destinations the egress guard lets through (tests, on-premise systems). Default: none. */
  egressAllow?: readonly string[];
  /** Outbox delivery: lease, batch, retry policy. Defaults in DEFAULT_DISPATCHER. */
  dispatcher?: Partial<DispatcherOptions>;
  /** Workspace connectors with their secrets. Default: none (every external action is refused at publish). */
  connectors?: ConnectorDirectory;
  /** Per-kind effects recorded with a delivery's outcome (email activity, bounce suppression). */
  settledHooks?: Partial<Record<OutboxKind, SettledHook>>;
  /** Retention of inbound deliveries and sweep interval. Defaults in DEFAULT_HOUSEKEEPING. */
  housekeeping?: Partial<HousekeepingOptions>;
  /**
   * Judge SLA milestones due by the services' clock instead of the database's: tests that drive
   * a simulated clock only. Default false.
   */
  slaDueByServiceClock?: boolean;
  /** Judge score decay due by the services' clock instead of the database's: simulated-clock tests only. */
  scoreDueByServiceClock?: boolean;
  /** A replay's fixed routing decisions: a sandbox's services only (app/sandbox/sandbox-port.ts). */
  pinOwner?: OwnerPin;
  /**
   * Let any writer set the fields scoring models write: a sandbox only, whose workflow tests
   * describe hypothetical records score and all ("a lead scoring 80"). Default false.
   */
  scoreOutputsOpen?: boolean;
}

export function openStore(config: Config, clock: Clock = systemClock, logger?: Logger): Store {
  const now = () => clock.now().toISOString();
  const onIdleError = (error: Error) => logger?.warn({ err: error }, "PostgreSQL closed an idle connection; the pool replaces it");
  return config.databaseUrl
    ? openPostgresStore({ connectionString: config.databaseUrl, now, onIdleError })
    : openSqliteStore({ file: sqliteFile(config), now, busyTimeoutMs: config.sqliteBusyTimeoutMs });
}

export function buildServices(
  store: Store,
  clock: Clock = systemClock,
  ids: IdGenerator = ulidGenerator(),
  runtime: RuntimeOptions = {},
): Services {
  // The two components that are woken, named before they exist (see the map above): the arrows
  // into them are these functions, called only after buildServices has returned.
  const nudge: { worker: Nudge; dispatcher: Nudge } = {
    worker: () => worker.poke(),
    dispatcher: () => dispatcher.poke(),
  };
  const records = new RecordReader(store);
  const commits = new CommitCounters();
  // A match rule that merges automatically merges through the merge service, which itself writes
  // through this writer: the writer is handed a function that reaches the service once built
  // (below), only ever called on a write, after buildServices has returned. The merge acts with the
  // rule's authority (an admin set it) and in the writer's name, so a rep's create can merge.
  let merges: RecordMerges | undefined;
  // The enabled scoring models: the event path scores with them, and the writer refuses their
  // output fields to every other writer.
  const scoreModels = new ScoreModels(clock);
  const writer = new RecordWriter(
    store,
    clock,
    ids,
    nudge.worker,
    (ctx, request, tx) => {
      if (!merges) throw new Error("the merge service is not built yet");
      return merges.merge({ ...ctx, role: "admin" }, request, tx);
    },
    runtime.scoreOutputsOpen ? undefined : scoreModels,
    commits,
  );
  const cache = new CompiledCache();
  const owner = workerId();
  const matcher = new Matcher({ cache, clock, ids, limits: { ...DEFAULT_LIMITS, ...runtime.limits } });
  // Approvers are asked in the app and, with an `email` connector, by email with one-click links.
  const approvalAsk = emailAsk({ store, clock, ids, publicUrl: runtime.publicUrl ?? "http://127.0.0.1:3000" });
  const secretBox = runtime.secretBox ?? new SecretBox(undefined);
  // Workflow emails to a record may carry an open pixel and tracked links (the workspace's switch).
  const emailTracking = new EmailTracking(
    store,
    writer,
    clock,
    ids,
    TrackingTokens.from(secretBox),
    runtime.publicUrl ?? "http://127.0.0.1:3000",
    nudge.worker,
  );
  // A workflow's merge_records merges through the same service, reached the same way (built below).
  // One predictor for classify steps, told by the AI model admin and trainer when a model is saved.
  const predictor = new ModelPredictor();
  const aiModelSaved = (workspaceId: string) => predictor.forget(workspaceId);
  const executor = new Executor({
    predictor,
    store,
    writer,
    cache,
    clock,
    ids,
    owner,
    approvalAsk,
    pinOwner: runtime.pinOwner,
    merge: (ctx, request, tx) => {
      if (!merges) throw new Error("the merge service is not built yet");
      return merges.merge(ctx, request, tx);
    },
    trackEmail: emailTracking,
    commits,
  });
  const timeTriggers = new TimeTriggers({ cache, clock, matcher });
  matcher.eventHooks.push((tx, event, record) => timeTriggers.onEvent(tx, event, record));
  const routing = buildRouting(store, writer, clock, ids, runtime.logger);
  matcher.eventHooks.push(onCreateRoutingHook({ sets: routing.onCreate, writer, clock, ids }));
  // SLA clocks follow their records in the matcher's pass and fire their milestones from the worker.
  const slaPolicies = new SlaPolicies(clock);
  const slaCalendars = new SlaCalendars();
  matcher.eventHooks.push(slaEventHook({ policies: slaPolicies, calendars: slaCalendars, clock, ids }));
  const sla = new SlaFiring({
    store,
    calendars: slaCalendars,
    clock,
    ids,
    ...(runtime.slaDueByServiceClock ? { dueBy: () => clock.now() } : {}),
  });
  // Scores follow events in the matcher's pass; decay rewrites them at their instant from the worker.
  matcher.eventHooks.push(scoringEventHook({ models: scoreModels, writer, ids, clock, conversions: predictor }));
  const scoreDecay = new ScoreDecay({
    store,
    writer,
    ids,
    models: scoreModels,
    clock,
    ...(runtime.scoreDueByServiceClock ? { dueBy: () => clock.now() } : {}),
  });
  const rescorer = new ScoreRescorer({ store, writer, ids, models: scoreModels, clock, logger: runtime.logger, conversions: predictor });
  const kpiRollup = new KpiRollup({ store, logger: runtime.logger });
  executor.runEndHooks.push((tx, run) => timeTriggers.onRunEnded(tx, run));
  const worker: Worker = new Worker(
    {
      store,
      matcher,
      executor,
      owner,
      logger: runtime.logger,
      timeTriggers,
      onExecuted: nudge.dispatcher,
      sla,
      scoring: scoreDecay,
      commits,
    },
    { ...DEFAULT_WORKER, ...runtime.worker },
  );
  const egress = new EgressGuard({ allow: runtime.egressAllow ?? [] });
  const connectors = runtime.connectors ?? new SealedConnectorDirectory(store.connectors, secretBox);
  const suppressions = new SuppressionService(
    store,
    writer,
    clock,
    UnsubscribeTokens.from(secretBox),
    runtime.publicUrl ?? "http://127.0.0.1:3000",
    nudge.worker,
  );
  const dispatcher: Dispatcher = new Dispatcher(
    {
      store,
      connectors,
      deliverers: [
        ...connectorDeliverers({
          egress,
          now: () => clock.now().getTime(),
          suppressions: store.suppressions,
          unsubscribeUrl: (workspaceId, email) => suppressions.unsubscribeUrl(workspaceId, email),
        }),
        webhookDeliverer({ guard: egress, targets: webhookTargets(store.subscriptions, secretBox), now: () => clock.now().getTime() }),
      ],
      hooks: { email: emailSettledHook({ writer, clock }), ...runtime.settledHooks },
      clock,
      owner,
      ...(runtime.logger ? { logger: runtime.logger } : {}),
      onSettled: nudge.worker,
    },
    { ...DEFAULT_DISPATCHER, ...runtime.dispatcher },
  );
  // Outbound webhooks: record events and logged steps fan out to subscriptions, in their transaction.
  const enqueue: Enqueue = (tx, items) => tx.outbox.insertOutboxItems(items);
  matcher.eventHooks.push(webhookEventHook(ids, enqueue));
  executor.stepHooks.push(webhookStepHook(ids, enqueue));
  const outbox = new OutboxService(store, clock, nudge.dispatcher);
  const loopLimits = { ...DEFAULT_LIMITS, ...runtime.limits };
  const workflows = new WorkflowService(store, clock, ids, {
    onCommit: nudge.worker,
    onPublish: (tx, p, options) =>
      scheduleOnPublish(
        tx,
        compileWorkflow(p.definition),
        p.workspaceId,
        p.workflowId,
        p.version,
        clock.now().getTime(),
        options.backfill ? { perWindow: loopLimits.maxRunsPerWindow, windowMs: loopLimits.windowMs } : undefined,
      ),
    backfillCount: (tx, p) => backfillCount(tx, compileWorkflow(p.definition), p.workspaceId, p.workflowId, clock.now().getTime()),
  });
  const mergeService = new RecordMerges(store, writer, clock, ids, nudge.worker);
  merges = mergeService;
  return {
    store,
    clock,
    ids,
    records,
    writer,
    customFields: new CustomFieldService(store),
    tokens: new TokenService(store, clock, ids),
    credentials: new CredentialService(store, clock, ids),
    workspaces: new WorkspaceService(store, clock, ids),
    csv: new CsvService(records, writer),
    events: new EventService(store),
    workflows,
    secretBox,
    connectors: new ConnectorService(store, clock, ids, secretBox),
    connectorDirectory: connectors,
    egress,
    worker,
    commits,
    dispatcher,
    housekeeping: new Housekeeping(store, clock, { ...DEFAULT_HOUSEKEEPING, ...runtime.housekeeping }, runtime.logger),
    outbox,
    notifications: new NotificationService(store, clock),
    suppressions,
    emailTracking,
    inbound: buildInbound(store, writer, secretBox, clock, ids, nudge.worker),
    workflowOverview: new WorkflowOverview(store, clock),
    stepCounts: new StepCounts(store, clock),
    templatePreview: new TemplatePreview(store, records),
    recipes: new RecipeService(store, workflows, recipesDir()),
    routing,
    calendars: new CalendarAdmin(store, clock, ids),
    matchRules: new MatchRuleAdmin(store, clock, ids),
    aiModels: new AiModelAdmin(store, clock, ids, aiModelSaved),
    aiTraining: new AiTrainer({ store, clock, ids, logger: runtime.logger, saved: aiModelSaved }),
    predictions: new PredictionReader(store, records, clock),
    dedupeScans: new DedupeScanner(store, clock, ids),
    slaPolicies: new SlaPolicyAdmin(
      store,
      clock,
      ids,
      async (workspaceId) => (await store.calendars.listCalendars(workspaceId)).map((c) => c.name),
      () => slaPolicies.invalidate(),
    ),
    slaClocks: new SlaClockReader(store, records, clock, slaCalendars),
    validationRules: new ValidationRuleAdmin(store, clock, ids),
    statusRules: new StatusRuleAdmin(store, clock, ids),
    fieldFormats: new FieldFormatAdmin(store, clock, ids),
    approvals: new ApprovalService({ store, clock, ids, nudge: nudge.worker, ask: approvalAsk }),
    // A sandbox is this same wiring over a throw-away store on a simulated clock: no master key
    // (no secret opens), every destination refused, SLA milestones due by the simulated clock.
    workflowTests: new WorkflowTestService(
      store,
      clock,
      ids,
      sandboxOpener(store, (sandboxStore, simulated, pinOwner) =>
        buildServices(sandboxStore, simulated, ulidGenerator(), {
          ...(pinOwner ? { pinOwner } : {}),
          egressAllow: [],
          secretBox: new SecretBox(undefined),
          slaDueByServiceClock: true,
          scoreOutputsOpen: true,
          limits: runtime.limits ?? {},
          publicUrl: runtime.publicUrl ?? "http://127.0.0.1:3000",
        }),
      ),
    ),
    reviews: new WorkflowReviews(store, clock, ids, writer),
    reviewQueue: new ReviewQueue(store, clock, ids),
    merges: mergeService,
    scoring: new ScoringAdmin({
      store,
      clock,
      ids,
      preview: scorePreview({ store, clock, ids, conversions: predictor }),
      onChange: () => {
        scoreModels.invalidate();
        nudge.worker();
      },
    }),
    rescorer,
    kpis: new KpiService(store, clock, kpiRollup),
    kpiRollup,
    reviewsDue: new ReviewsDue({ store, writer, clock, ids, onCommit: nudge.worker, logger: runtime.logger }),
    metrics: new OperationalMetrics(store.operations, MATCHER),
  };
}

/**
 * What `serve` and `worker` run beside the API: the worker, the dispatcher, housekeeping, the
 * release of held records, the review due check, rescores and the KPI rollup — started together,
 * stopped together.
 */
export function backgroundLoops(s: Services): ReadonlyArray<{ start(): void; stop(): Promise<void> }> {
  return [s.worker, s.dispatcher, s.housekeeping, s.routing.holds, s.reviewsDue, s.rescorer, s.kpiRollup];
}

/** Opens the configured store, brings its schema up to date and wires the services. */
export async function compose(config: Config, logger?: Logger): Promise<Services> {
  const store = openStore(config, systemClock, logger);
  await store.migrate();
  // Only processes that log (serve, worker) ask: a CLI command would pay a query to print nothing.
  if (logger) for (const warning of await store.serverWarnings()) logger.warn({ store: store.dialect }, warning);
  const limits = {
    maxRunsPerWindow: config.workflowRateCap,
    maxDepth: config.maxCausalDepth,
    windowMs: Math.round(config.workflowRateWindowSeconds * 1000),
  };
  const secretBox = openSecretBox(config);
  const publicUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
  return buildServices(store, systemClock, ulidGenerator(), {
    limits,
    secretBox,
    publicUrl,
    egressAllow: config.egressAllow,
    housekeeping: { inboundRetentionMs: config.inboundRetentionDays * 86_400_000 },
    ...(config.inlineRuns !== undefined ? { worker: { inlineRuns: config.inlineRuns } } : {}),
    ...(logger ? { logger } : {}),
  });
}
