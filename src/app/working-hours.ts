/**
 * Opening or working hours as the edges accept them, one schema for every place that takes them:
 * a person's working hours (routing's availability) and a business calendar's opening hours.
 * Days are mon…sun; a span is ["HH:MM", "HH:MM"], the end exclusive, "24:00" only as an end; a
 * span ends after it starts; a day's spans do not overlap (touching is fine). Each problem names
 * its path (`hours.mon[1]`, `working_hours.tue[0][1]`).
 */
import { z } from "zod";
import { overlappingSpans, WEEKDAYS } from "../crm/assignment/index.js";

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
export const hhmmSchema = z.string().regex(HHMM, "a time is HH:MM, 00:00 to 24:00");

const span = z.tuple([hhmmSchema, hhmmSchema]).superRefine(([start, end], ctx) => {
  // A time that is not HH:MM has its own problem; the order of the two is judged only between times.
  if (!HHMM.test(start) || !HHMM.test(end)) return;
  if (start === "24:00") ctx.addIssue({ code: "custom", path: [0], message: '"24:00" may only end a span; start the next day at 00:00' });
  else if (start >= end) ctx.addIssue({ code: "custom", message: `a span must end after it starts, and ${start}–${end} does not` });
});

/** A day's spans: at most six, none overlapping another. */
const daySpans = z
  .array(span)
  .max(6)
  .superRefine((spans, ctx) => {
    for (const { index, earlier } of overlappingSpans(spans)) {
      const [start, end] = spans[earlier] ?? ["", ""];
      ctx.addIssue({ code: "custom", path: [index], message: `overlaps ${start}–${end}: the spans of a day must not overlap` });
    }
  });

export const workingHoursSchema = z.partialRecord(z.enum(WEEKDAYS), daySpans);
