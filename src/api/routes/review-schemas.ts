/**
 * The shapes of workflow reviews and overrides on the wire (issue 19, item 5): a workflow's review
 * status (on the list, the page and the reviews list), its history and its latest overrides.
 */
import { z } from "@hono/zod-openapi";
import type { ReviewDetail, ReviewListItem, ReviewStatus } from "../../app/workflows/reviews.js";
import { INTERVALS } from "../../app/workflows/reviews.js";
import type { ObjectName } from "../../crm/fields.js";
import { OBJECTS } from "../../crm/objects.js";
import { presentWorkflow, workflowSchema } from "./workflow-summaries.js";

export const reviewStatusSchema = z
  .object({
    owner: z.object({ id: z.string(), name: z.string() }).nullable().meta({ description: "who reviews it; null when nobody is known" }),
    interval_months: z.number().meta({ description: `months between reviews: one of ${INTERVALS.join(", ")} (3: quarterly)` }),
    next_review_at: z.string(),
    due_in_days: z.number().meta({ description: "whole days until the next review (negative: overdue by that many)" }),
    overdue: z.boolean(),
  })
  .openapi("ReviewStatus");

export const reviewHistorySchema = z
  .object({
    id: z.string(),
    reviewed_by: z.object({ id: z.string(), name: z.string() }),
    reviewed_at: z.string(),
    due_at: z.string().meta({ description: "the review date it answered" }),
    note: z.string(),
  })
  .openapi("ReviewHistoryEntry");

export const overrideSchema = z
  .object({
    record: z.object({
      id: z.string(),
      object: z.string(),
      plural: z.string().meta({ description: "the object's path segment (/api/v1/{plural}/{id})" }),
      title: z.string(),
    }),
    field: z.string(),
    workflow_value: z.unknown().meta({ description: "what the workflow had set" }),
    person_value: z.unknown().meta({ description: "what the person set instead" }),
    workflow_value_label: z
      .string()
      .nullable()
      .meta({ description: "the workflow's value by name when it names a record (an owner); else null" }),
    person_value_label: z.string().nullable().meta({ description: "the person's value by name when it names a record; else null" }),
    by: z.object({ id: z.string(), name: z.string() }),
    at: z.string(),
    workflow_at: z.string().meta({ description: "when the workflow had set it" }),
  })
  .openapi("Override");

export const reviewDetailSchema = z
  .object({
    review: reviewStatusSchema.nullable().meta({ description: "null until the workflow is first published" }),
    history: z.array(reviewHistorySchema),
    overrides: z.object({
      count: z.number().meta({ description: "overrides in the last 30 days" }),
      latest: z.array(overrideSchema).meta({ description: "the latest five, newest first" }),
    }),
  })
  .openapi("WorkflowReview");

export const reviewListItemSchema = workflowSchema
  .extend({ review: reviewStatusSchema, overrides_30d: z.number() })
  .openapi("WorkflowReviewListItem");

export function presentReviewStatus(s: ReviewStatus): z.infer<typeof reviewStatusSchema> {
  return {
    owner: s.review.ownerId ? { id: s.review.ownerId, name: s.ownerName ?? s.review.ownerId } : null,
    interval_months: s.review.intervalMonths,
    next_review_at: s.review.nextReviewAt,
    due_in_days: s.dueInDays,
    overdue: s.overdue,
  };
}

export function presentReviewListItem(i: ReviewListItem): z.infer<typeof reviewListItemSchema> {
  return { ...presentWorkflow(i.workflow), review: presentReviewStatus(i), overrides_30d: i.overrides };
}

export function presentReviewDetail(d: ReviewDetail): z.infer<typeof reviewDetailSchema> {
  return {
    review: d.status ? presentReviewStatus(d.status) : null,
    history: d.history.map((h) => ({
      id: h.id,
      reviewed_by: { id: h.reviewedBy, name: h.reviewerName },
      reviewed_at: h.reviewedAt,
      due_at: h.dueAt,
      note: h.note,
    })),
    overrides: {
      count: d.overrides.count,
      latest: d.overrides.latest.map((o) => ({
        record: { id: o.recordId, object: o.object, plural: OBJECTS[o.object as ObjectName]?.plural ?? o.object, title: o.recordTitle },
        field: o.field,
        workflow_value: o.workflowValue,
        person_value: o.personValue,
        workflow_value_label: o.workflowValueLabel,
        person_value_label: o.personValueLabel,
        by: { id: o.by, name: o.byName },
        at: o.at,
        workflow_at: o.workflowAt,
      })),
    },
  };
}
