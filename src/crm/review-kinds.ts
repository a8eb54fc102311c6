/**
 * The kinds of problem the data review queue holds (docs/data-quality.md "The review queue"): one
 * list for the store, the API and the workflow format (the `review_queued` trigger names them).
 */
export const REVIEW_KINDS = ["rule", "format", "required", "duplicate", "manual"] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];
