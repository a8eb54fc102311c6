/** The numbered migrations, in order. Add a file, never edit a released one. */
import type { Migration } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";
import { initial } from "./001_initial.js";
import { workflows } from "./002_workflows.js";
import { idempotencyRequests } from "./003_idempotency_requests.js";
import { scheduledTriggers } from "./004_scheduled_triggers.js";
import { connectors } from "./005_connectors.js";
import { outbox } from "./006_outbox.js";
import { emailSuppressions } from "./007_email_suppressions.js";
import { inbound } from "./008_inbound.js";
import { triggerEpochs } from "./009_trigger_epochs.js";
import { quotaUsage } from "./010_quota_usage.js";
import { inboundReceivedIndex } from "./011_inbound_received_index.js";
import { idempotencyCallers } from "./012_idempotency_callers.js";
import { workflowRates } from "./013_workflow_rates.js";
import { outboxAttempts } from "./014_outbox_attempts.js";
import { workspaceSettings } from "./015_workspace_settings.js";
import { dropBenchRaw } from "./016_drop_bench_raw.js";
import { runStepInputs } from "./017_run_step_inputs.js";
import { sessions } from "./018_sessions.js";
import { workflowAuthors } from "./019_workflow_authors.js";
import { notificationsUnread } from "./020_notifications_unread.js";
import { versionNotes } from "./021_version_notes.js";
import { routing } from "./022_routing.js";
import { calendars } from "./023_calendars.js";
import { sla } from "./024_sla.js";
import { eventDetail } from "./025_event_detail.js";
import { approvals } from "./026_approvals.js";
import { workflowTests } from "./027_workflow_tests.js";
import { publishAcknowledgements } from "./028_publish_acknowledgements.js";
import { workflowReviews } from "./029_workflow_reviews.js";
import { reviewQueue } from "./030_review_queue.js";
import { recordMerges } from "./031_record_merges.js";
import { validationRules } from "./032_validation_rules.js";
import { duplicates } from "./033_duplicates.js";
import { emailTracking } from "./034_email_tracking.js";
import { scoring } from "./035_scoring.js";
import { scoreLookups } from "./036_score_lookups.js";
import { kpis } from "./037_kpis.js";
import { runsWorkflowStatus } from "./038_runs_workflow_status.js";
import { kpisMore } from "./039_kpis_more.js";
import { aiModels } from "./040_ai_models.js";
import { statusRules } from "./041_status_rules.js";
import { kpisEffect } from "./042_kpis_effect.js";
import { aiPredictions } from "./043_ai_predictions.js";
import { aiTraining } from "./044_ai_training.js";
import { scoreFitPoints } from "./045_score_fit_points.js";
import { kpiSlaHourly } from "./046_kpi_sla_hourly.js";
import { kpiHourly } from "./047_kpi_hourly.js";

export function migrationsFor(dialect: SqlDialectName): Record<string, Migration> {
  return {
    "001_initial": initial(dialect),
    "002_workflows": workflows(dialect),
    "003_idempotency_requests": idempotencyRequests(),
    "004_scheduled_triggers": scheduledTriggers(dialect),
    "005_connectors": connectors(dialect),
    "006_outbox": outbox(dialect),
    "007_email_suppressions": emailSuppressions(dialect),
    "008_inbound": inbound(dialect),
    "009_trigger_epochs": triggerEpochs(),
    "010_quota_usage": quotaUsage(),
    "011_inbound_received_index": inboundReceivedIndex(),
    "012_idempotency_callers": idempotencyCallers(dialect),
    "013_workflow_rates": workflowRates(dialect),
    "014_outbox_attempts": outboxAttempts(dialect),
    "015_workspace_settings": workspaceSettings(),
    "016_drop_bench_raw": dropBenchRaw(),
    "017_run_step_inputs": runStepInputs(dialect),
    "018_sessions": sessions(),
    "019_workflow_authors": workflowAuthors(),
    "020_notifications_unread": notificationsUnread(),
    "021_version_notes": versionNotes(),
    "022_routing": routing(dialect),
    "023_calendars": calendars(dialect),
    "024_sla": sla(dialect),
    "025_event_detail": eventDetail(dialect),
    "026_approvals": approvals(dialect),
    "027_workflow_tests": workflowTests(dialect),
    "028_publish_acknowledgements": publishAcknowledgements(dialect),
    "029_workflow_reviews": workflowReviews(dialect),
    "030_review_queue": reviewQueue(dialect),
    "031_record_merges": recordMerges(dialect),
    "032_validation_rules": validationRules(dialect),
    "033_duplicates": duplicates(dialect),
    "034_email_tracking": emailTracking(dialect),
    "035_scoring": scoring(dialect),
    "036_score_lookups": scoreLookups(dialect),
    "037_kpis": kpis(dialect),
    "038_runs_workflow_status": runsWorkflowStatus(),
    "039_kpis_more": kpisMore(dialect),
    "040_ai_models": aiModels(dialect),
    "041_status_rules": statusRules(dialect),
    "042_kpis_effect": kpisEffect(dialect),
    "043_ai_predictions": aiPredictions(dialect),
    "044_ai_training": aiTraining(dialect),
    "045_score_fit_points": scoreFitPoints(dialect),
    "046_kpi_sla_hourly": kpiSlaHourly(dialect),
    "047_kpi_hourly": kpiHourly(dialect),
  };
}
