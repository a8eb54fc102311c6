/**
 * Business calendars over HTTP (docs/sla.md, "Calendars"): list, create, read by name or id,
 * change over the version read (If-Match; the ETag carries the version), delete unless a team, a
 * user or a later feature names the calendar. Every signed-in role reads; admins write.
 * Registered before the record routes, whose `/api/v1/{objects}` would otherwise take
 * `/api/v1/calendars`.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { openingsQuerySchema } from "../../app/calendars/calendar-openings.js";
import { calendarCreateSchema, calendarPatchSchema } from "../../app/calendars/calendar-schemas.js";
import type { CalendarView } from "../../app/calendars/calendar-views.js";
import type { Services } from "../../composition/root.js";
import type { ApiEnv } from "../env.js";
import { json, problemJson } from "../openapi/doc.js";
import { ifMatchVersion, jsonBody } from "../request.js";

const span = z.tuple([z.string(), z.string()]);
export const calendarSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    time_zone: z.string().describe("IANA zone the hours and dates are read in"),
    hours: z
      .record(z.string(), z.array(span))
      .describe('opening hours by weekday (mon…sun), wall times "HH:MM"–"HH:MM"; a missing day is closed; {} = open 24×7'),
    holidays: z.object({ country: z.string(), region: z.string().optional() }).nullable(),
    closed_dates: z.array(z.object({ date: z.string(), name: z.string() })),
    default: z.boolean().describe("the workspace's calendar: used when neither a person nor their team names one"),
    version: z.number(),
    created_at: z.string(),
    updated_at: z.string(),
    updated_by: z.string().nullable(),
  })
  .openapi("Calendar");

/** The ETag of a calendar: its version, for If-Match. */
const withEtag = (c: Context<ApiEnv>, view: CalendarView) => {
  c.header("etag", `"${view.version}"`);
  return view;
};

export function calendarRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const tags = ["Calendars"];
  const calendars = services.calendars;
  const doc = (
    method: "get" | "post" | "patch" | "delete",
    path: string,
    summary: string,
    ok: z.ZodType | null,
    status = 200,
    body?: z.ZodType,
  ) => {
    const params = path.includes("{calendar}") ? { params: z.object({ calendar: z.string().describe("the calendar's name or id") }) } : {};
    reg.registerPath({
      method,
      path,
      tags,
      security,
      summary,
      ...(params.params || body ? { request: { ...params, ...(body ? { body: json(body) } : {}) } } : {}),
      responses: {
        [status]: ok ? { description: "OK; the ETag carries the version", ...json(ok) } : { description: "Done" },
        400: problemJson("Bad input (not JSON, NUL or a lone surrogate in a string, a malformed If-Match): each problem names its path"),
        403: problemJson("Only admins change calendars"),
        404: problemJson("No such calendar in this workspace"),
        409: problemJson("The name is taken, or a team, a user or a workflow names the calendar (delete, rename)"),
        412: problemJson("If-Match is stale, or someone else saved a new version meanwhile: read it again"),
        422: problemJson(
          "Invalid: unknown time zone, weekday or holiday country/region; a span inverted or overlapping; a bad or repeated closed date (each problem names its path)",
        ),
      },
    });
  };

  const openingsSchema = z
    .object({
      time_zone: z.string(),
      from: z.string(),
      to: z.string(),
      next_opening: z.string().nullable().describe("the first open instant from `from` (itself when open); null when it never opens"),
      openings: z.array(z.object({ start: z.string(), end: z.string() })).describe("open intervals [start, end), joined where they touch"),
      holidays: z.array(z.object({ date: z.string(), name: z.string(), source: z.enum(["public", "own"]) })),
    })
    .openapi("CalendarOpenings");
  const openingsQuery = { query: openingsQuerySchema.describe("from: an ISO instant (default now); days: 1–62 (default 14)") };
  const countrySchema = z.object({
    code: z.string(),
    name: z.string(),
    regions: z.array(z.object({ code: z.string(), name: z.string() })),
  });

  // Before /{calendar}: "holiday-countries" and "preview" are not calendar names.
  reg.registerPath({
    method: "get",
    path: "/api/v1/calendars/holiday-countries",
    tags,
    security,
    summary: "The countries and regions whose public holidays a calendar can take",
    responses: { 200: { description: "OK", ...json(z.object({ data: z.array(countrySchema) })) } },
  });
  app.get("/api/v1/calendars/holiday-countries", async (c) => c.json({ data: await calendars.holidayCountries() }));
  reg.registerPath({
    method: "post",
    path: "/api/v1/calendars/preview",
    tags,
    security,
    summary: "The openings and holidays of an unsaved calendar (the editor's preview); nothing is saved",
    request: { ...openingsQuery, body: json(calendarCreateSchema) },
    responses: {
      200: { description: "OK", ...json(openingsSchema) },
      400: problemJson("Bad input: each problem names its path"),
      422: problemJson("The calendar or the query is invalid: each problem names its path"),
    },
  });
  app.post("/api/v1/calendars/preview", async (c) => c.json(await calendars.preview(c.get("call"), await jsonBody(c), c.req.query())));
  reg.registerPath({
    method: "get",
    path: "/api/v1/calendars/{calendar}/openings",
    tags,
    security,
    summary: "A calendar's openings and holidays over the next days, and its next opening",
    request: { params: z.object({ calendar: z.string() }), ...openingsQuery },
    responses: {
      200: { description: "OK", ...json(openingsSchema) },
      404: problemJson("No such calendar in this workspace"),
      422: problemJson("`from` or `days` is invalid"),
    },
  });
  app.get("/api/v1/calendars/:calendar/openings", async (c) =>
    c.json(await calendars.openings(c.get("call"), c.req.param("calendar"), c.req.query())),
  );

  doc("get", "/api/v1/calendars", "Business calendars of the workspace, by name", z.object({ data: z.array(calendarSchema) }));
  app.get("/api/v1/calendars", async (c) => c.json({ data: await calendars.list(c.get("call")) }));
  doc(
    "post",
    "/api/v1/calendars",
    "Create a calendar (admins); `default: true` clears the old default",
    calendarSchema,
    201,
    calendarCreateSchema,
  );
  app.post("/api/v1/calendars", async (c) => c.json(withEtag(c, await calendars.create(c.get("call"), await jsonBody(c))), 201));
  doc("get", "/api/v1/calendars/{calendar}", "One calendar, by name or id", calendarSchema);
  app.get("/api/v1/calendars/:calendar", async (c) => c.json(withEtag(c, await calendars.get(c.get("call"), c.req.param("calendar")))));
  doc(
    "patch",
    "/api/v1/calendars/{calendar}",
    "Change a calendar (admins; If-Match: its version). Renaming one that is named elsewhere is refused",
    calendarSchema,
    200,
    calendarPatchSchema,
  );
  app.patch("/api/v1/calendars/:calendar", async (c) =>
    c.json(withEtag(c, await calendars.update(c.get("call"), c.req.param("calendar"), await jsonBody(c), ifMatchVersion(c)))),
  );
  doc("delete", "/api/v1/calendars/{calendar}", "Delete a calendar nothing names (admins)", null, 204);
  app.delete("/api/v1/calendars/:calendar", async (c) => {
    await calendars.delete(c.get("call"), c.req.param("calendar"));
    return c.body(null, 204);
  });
}
