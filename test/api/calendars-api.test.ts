/**
 * Business calendars over real HTTP on both stores (issue 17; docs/sla.md, "Calendars"): create,
 * read by name and id, list, change over the version read (If-Match → 412), one default per
 * workspace, delete and rename refused (409, naming who) while a team, a user or a live
 * workflow's business-time wait names the calendar, a team or user naming no calendar refused
 * (422 at `calendar`), every bad input a 4xx naming its path with nothing saved, reps read but do
 * not write, another workspace sees nothing, Idempotency-Key replays, and the configuration audit
 * of each change.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const SUPPORT_EU = {
  name: "Support EU",
  description: "First-line support in Paris",
  time_zone: "Europe/Paris",
  hours: {
    mon: [
      ["09:00", "12:30"],
      ["13:30", "18:00"],
    ],
    tue: [["09:00", "18:00"]],
    wed: [["09:00", "18:00"]],
    thu: [["09:00", "18:00"]],
    fri: [["09:00", "17:00"]],
  },
  holidays: { country: "FR" },
  closed_dates: [{ date: "2026-12-24", name: "Christmas Eve" }],
};

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`calendars over HTTP on ${kind.name}`, () => {
    const env = useTestServer(kind);
    const path = (name: string) => `/api/v1/calendars/${encodeURIComponent(name)}`;
    const names = async () => ((await env.s.get("/api/v1/calendars")).data as Json[]).map((c) => c.name);
    let rep: string;

    beforeAll(async () => {
      rep = (await env.s.services.tokens.create(env.s.workspace.id, "rep", "rep")).secret;
    });

    it("creates a calendar, reads it by name and by id, lists it, changes it over its version and deletes it", async () => {
      const res = await env.s.api("/api/v1/calendars", { method: "POST", json: SUPPORT_EU });
      expect(res.status).toBe(201);
      expect(res.headers.get("etag")).toBe('"1"');
      const created = (await res.json()) as Json;
      expect(created).toMatchObject({ ...SUPPORT_EU, default: false, version: 1, updated_by: expect.any(String) });
      expect(Object.keys(created.hours)).toEqual(["mon", "tue", "wed", "thu", "fri"]);
      expect(await env.s.get(path("Support EU"))).toEqual(created);
      expect(await env.s.get(path(created.id))).toEqual(created);
      expect(await names()).toEqual(["Support EU"]);

      const patched = await env.s.api(path("Support EU"), {
        method: "PATCH",
        json: {
          holidays: { country: "FR", region: "67" },
          closed_dates: [...SUPPORT_EU.closed_dates, { date: "2026-12-31", name: "New Year's Eve" }],
        },
        headers: { "if-match": '"1"' },
      });
      expect(patched.status).toBe(200);
      expect(patched.headers.get("etag")).toBe('"2"');
      expect(await patched.json()).toMatchObject({ version: 2, holidays: { country: "FR", region: "67" }, time_zone: "Europe/Paris" });
      expect((await env.s.get(path("Support EU"))).closed_dates).toHaveLength(2);

      const temp = await env.s.post("/api/v1/calendars", { name: "Temp", time_zone: "UTC", hours: {} });
      expect(temp).toMatchObject({ hours: {}, holidays: null, closed_dates: [], default: false, description: "" });
      expect((await env.s.api(path("Temp"), { method: "DELETE" })).status).toBe(204);
      expect((await env.s.api(path("Temp"))).status).toBe(404);
      expect((await env.s.api(path("Temp"), { method: "DELETE" })).status).toBe(404);

      const audit = ((await env.s.get("/api/v1/config-audit")).data as Json[]).filter((e) => e.entity === "calendar");
      expect(audit.map((e) => [e.action, e.summary.name])).toEqual([
        ["delete", "Temp"],
        ["create", "Temp"],
        ["update", "Support EU"],
        ["create", "Support EU"],
      ]);
      expect(audit[2]?.summary.changed).toEqual(["holidays", "closed_dates"]);
    });

    it("keeps one default per workspace: a new default clears the old one, which gets a new version", async () => {
      await env.s.post("/api/v1/calendars", {
        name: "Business hours",
        time_zone: "America/New_York",
        hours: { mon: [["09:00", "17:30"]] },
        default: true,
      });
      const before = await env.s.get(path("Support EU"));
      const made = await env.s.json(path("Support EU"), { method: "PATCH", json: { default: true } });
      expect(made).toMatchObject({ default: true, version: before.version + 1 });
      const all = (await env.s.get("/api/v1/calendars")).data as Json[];
      expect(all.filter((c) => c.default).map((c) => c.name)).toEqual(["Support EU"]);
      expect(all.find((c) => c.name === "Business hours")).toMatchObject({ default: false, version: 2 });
      const [latest] = (await env.s.get("/api/v1/config-audit")).data as Json[];
      expect(latest?.summary).toMatchObject({ name: "Support EU", changed: ["default"], default_cleared_on: ["Business hours"] });
      // Creating a default clears it too.
      await env.s.post("/api/v1/calendars", { name: "Night", time_zone: "UTC", hours: { sun: [["22:00", "24:00"]] }, default: true });
      expect(((await env.s.get("/api/v1/calendars")).data as Json[]).filter((c) => c.default).map((c) => c.name)).toEqual(["Night"]);
      await env.s.json(path("Business hours"), { method: "PATCH", json: { default: true } });
      expect(((await env.s.get("/api/v1/calendars")).data as Json[]).filter((c) => c.default).map((c) => c.name)).toEqual([
        "Business hours",
      ]);
    });

    it("saves only over the version it was read at (If-Match), so two admins do not overwrite each other", async () => {
      const read = await env.s.get(path("Night"));
      const first = await env.s.api(path("Night"), {
        method: "PATCH",
        json: { description: "first" },
        headers: { "if-match": `"${read.version}"` },
      });
      expect(first.status).toBe(200);
      const second = await env.s.api(path("Night"), {
        method: "PATCH",
        json: { description: "second" },
        headers: { "if-match": `"${read.version}"` },
      });
      expect(second.status).toBe(412);
      expect(second.headers.get("content-type")).toContain("application/problem+json");
      const bad = await env.s.api(path("Night"), { method: "PATCH", json: { description: "third" }, headers: { "if-match": "v1" } });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as Json).errors.map((e: Json) => e.path)).toEqual(["If-Match"]);
      expect(await env.s.get(path("Night"))).toMatchObject({ description: "first", version: read.version + 1 });
    });

    it("refuses to delete or rename a calendar a team or a user names (409, naming them), and a record naming no calendar (422)", async () => {
      const team = await env.s.post("/api/v1/teams", { name: "EMEA support", calendar: "Support EU" });
      const user = await env.s.post("/api/v1/users", { name: "Ada Lee", email: "ada@acme.test", calendar: "Support EU" });
      expect(team.calendar).toBe("Support EU");

      const del = await env.s.api(path("Support EU"), { method: "DELETE" });
      expect(del.status).toBe(409);
      const problem = (await del.json()) as Json;
      expect(problem.detail).toContain("team EMEA support");
      expect(problem.detail).toContain("user Ada Lee");
      const rename = await env.s.api(path("Support EU"), { method: "PATCH", json: { name: "Support Europe" } });
      expect(rename.status).toBe(409);
      expect(await names()).toContain("Support EU");

      for (const [url, body] of [
        ["/api/v1/teams", { name: "Ghosts", calendar: "Nope" }],
        ["/api/v1/users", { name: "Bo", email: "bo@acme.test", calendar: "Nope" }],
        [`/api/v1/teams/${team.id}`, { calendar: "Nope" }],
      ] as const) {
        const res = await env.s.api(url, { method: url.endsWith(team.id) ? "PATCH" : "POST", json: body });
        expect(res.status, url).toBe(422);
        const errors = ((await res.json()) as Json).errors as Json[];
        expect(errors.map((e) => [e.path, e.code])).toEqual([["calendar", "invalid_reference"]]);
        expect(errors[0]?.expected).toContain("Support EU");
      }
      expect((await env.s.get("/api/v1/teams")).data.map((t: Json) => t.name)).toEqual(["EMEA support"]);
      expect((await env.s.get(`/api/v1/teams/${team.id}`)).calendar).toBe("Support EU");

      await env.s.json(`/api/v1/teams/${team.id}`, { method: "PATCH", json: { calendar: null } });
      await env.s.json(`/api/v1/users/${user.id}`, { method: "PATCH", json: { calendar: "Night" } });
      expect((await env.s.api(path("Support EU"), { method: "PATCH", json: { name: "Support Europe" } })).status).toBe(200);
      const night = await env.s.api(path("Night"), { method: "DELETE" });
      expect(night.status).toBe(409);
      expect(((await night.json()) as Json).detail).toContain("user Ada Lee");
      expect((await env.s.api(path("Support Europe"), { method: "DELETE" })).status).toBe(204);
    });

    it("refuses to delete or rename a calendar a live workflow's business-time wait names (409, naming the workflow and step)", async () => {
      await env.s.post("/api/v1/calendars", { name: "Follow-up hours", time_zone: "UTC", hours: { mon: [["09:00", "17:00"]] } });
      const waiting = (key: string, delay: Json) => ({
        key,
        name: key,
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "lead",
        trigger: { type: "record_created" },
        start: "wait",
        steps: { wait: { type: "delay", ...delay, next: "done" }, done: { type: "end" } },
      });
      const live = await env.s.publish(waiting("business-follow-up", { business: { hours: 4, calendar: { name: "Follow-up hours" } } }));
      // A wait on the owner's calendar names no calendar.
      await env.s.publish(waiting("owner-hours", { until_opening: { calendar: { of: "owner" } } }));
      for (const [method, json] of [
        ["DELETE", undefined],
        ["PATCH", { name: "Renamed" }],
      ] as const) {
        const res = await env.s.api(path("Follow-up hours"), { method, ...(json ? { json } : {}) });
        expect(res.status, method).toBe(409);
        expect(((await res.json()) as Json).detail).toContain("workflow business-follow-up (step wait)");
      }
      expect((await env.s.api(`/api/v1/workflows/${live.id}/archive`, { method: "POST", json: {} })).status).toBe(200);
      expect((await env.s.api(path("Follow-up hours"), { method: "DELETE" })).status).toBe(204);
    });

    it("refuses each bad input with a 4xx naming its path, and saves nothing", async () => {
      const base = { name: "Bad", time_zone: "UTC", hours: { mon: [["09:00", "17:00"]] } };
      const cases: Array<[string, Json, number, string[]]> = [
        ["unknown zone", { ...base, time_zone: "Mars/Olympus_Mons" }, 422, ["time_zone"]],
        ["unknown weekday", { ...base, hours: { monday: [["09:00", "17:00"]] } }, 422, ["hours.monday"]],
        ["not HH:MM", { ...base, hours: { mon: [["9:00", "17:00"]] } }, 422, ["hours.mon[0][0]"]],
        ["24:00 as a start", { ...base, hours: { sat: [["24:00", "24:00"]] } }, 422, ["hours.sat[0][0]"]],
        [
          "inverted span",
          {
            ...base,
            hours: {
              mon: [
                ["09:00", "12:00"],
                ["17:00", "13:00"],
              ],
            },
          },
          422,
          ["hours.mon[1]"],
        ],
        [
          "overlapping spans",
          {
            ...base,
            hours: {
              tue: [
                ["09:00", "12:00"],
                ["11:00", "14:00"],
              ],
            },
          },
          422,
          ["hours.tue[1]"],
        ],
        ["unknown holiday country", { ...base, holidays: { country: "XX" } }, 422, ["holidays.country"]],
        ["unknown holiday region", { ...base, holidays: { country: "US", region: "ZZ" } }, 422, ["holidays.region"]],
        ["invalid closed date", { ...base, closed_dates: [{ date: "2026-02-30", name: "Nope" }] }, 422, ["closed_dates[0].date"]],
        [
          "duplicate closed date",
          {
            ...base,
            closed_dates: [
              { date: "2026-12-24", name: "Eve" },
              { date: "2026-12-24", name: "Eve again" },
            ],
          },
          422,
          ["closed_dates[1].date"],
        ],
        ["empty name", { ...base, name: "  " }, 422, ["name"]],
        ["name too long", { ...base, name: "x".repeat(121) }, 422, ["name"]],
        ["name taken", { ...base, name: "Night" }, 409, ["name"]],
        ["NUL in the name", { ...base, name: "Bad\u0000" }, 400, ["name"]],
        ["lone surrogate in the description", { ...base, description: "x\ud800y" }, 400, ["description"]],
        ["unknown key", { ...base, colour: "red" }, 422, ["colour"]],
      ];
      const before = JSON.stringify(await env.s.get("/api/v1/calendars"));
      for (const [what, body, status, paths] of cases) {
        const res = await env.s.api("/api/v1/calendars", { method: "POST", json: body });
        expect(res.status, what).toBe(status);
        expect(res.headers.get("content-type"), what).toContain("application/problem+json");
        const problem = (await res.json()) as Json;
        expect(
          (problem.errors as Json[]).map((e) => e.path),
          what,
        ).toEqual(paths);
      }
      // The same checks on a change, with the path of the field.
      const patch = await env.s.api(path("Night"), {
        method: "PATCH",
        json: { hours: { mon: [["10:00", "09:00"]] }, time_zone: "Nowhere" },
      });
      expect(patch.status).toBe(422);
      expect(((await patch.json()) as Json).errors.map((e: Json) => e.path).sort()).toEqual(["hours.mon[0]", "time_zone"]);
      expect(JSON.stringify(await env.s.get("/api/v1/calendars"))).toBe(before);
    });

    it("lets every role read calendars and only admins write them", async () => {
      expect((await env.s.api("/api/v1/calendars", { as: rep })).status).toBe(200);
      expect((await env.s.api(path("Night"), { as: rep })).status).toBe(200);
      const integration = (await env.s.services.tokens.create(env.s.workspace.id, "sync", "integration")).secret;
      const manager = (await env.s.services.tokens.create(env.s.workspace.id, "lead", "manager")).secret;
      expect((await env.s.api("/api/v1/calendars", { as: integration })).status).toBe(200);
      for (const as of [rep, integration, manager]) {
        expect(
          (await env.s.api("/api/v1/calendars", { method: "POST", as, json: { name: "Mine", time_zone: "UTC", hours: {} } })).status,
        ).toBe(403);
        expect((await env.s.api(path("Night"), { method: "PATCH", as, json: { description: "mine" } })).status).toBe(403);
        expect((await env.s.api(path("Night"), { method: "DELETE", as })).status).toBe(403);
      }
      expect(await names()).not.toContain("Mine");
      expect((await env.s.get(path("Night"))).description).toBe("first");
    });

    it("hides a workspace's calendars from another workspace (404)", async () => {
      const other = await env.s.newWorkspace("globex");
      const night = await env.s.get(path("Night"));
      expect(((await (await env.s.api("/api/v1/calendars", { as: other.token })).json()) as Json).data).toEqual([]);
      for (const name of ["Night", night.id]) {
        expect((await env.s.api(path(name), { as: other.token })).status).toBe(404);
        expect((await env.s.api(path(name), { method: "PATCH", as: other.token, json: { description: "theirs" } })).status).toBe(404);
        expect((await env.s.api(path(name), { method: "DELETE", as: other.token })).status).toBe(404);
      }
      // The same name is free there, and a team there cannot name this workspace's calendar.
      expect(
        (await env.s.api("/api/v1/calendars", { method: "POST", as: other.token, json: { name: "Night", time_zone: "UTC", hours: {} } }))
          .status,
      ).toBe(201);
      expect(
        (await env.s.api("/api/v1/teams", { method: "POST", as: other.token, json: { name: "T", calendar: "Business hours" } })).status,
      ).toBe(422);
      expect(await env.s.get(path("Night"))).toEqual(night);
    });

    it("replays a POST with the same Idempotency-Key, and refuses the key with another body", async () => {
      const body = { name: "Weekend desk", time_zone: "Europe/Berlin", hours: { sat: [["10:00", "16:00"]], sun: [["10:00", "16:00"]] } };
      const send = (json: unknown) =>
        env.s.api("/api/v1/calendars", { method: "POST", json, headers: { "idempotency-key": "cal-weekend-1" } });
      const first = await send(body);
      expect(first.status).toBe(201);
      const firstBody = await first.json();
      const again = await send(body);
      expect(again.status).toBe(201);
      expect(again.headers.get("etag")).toBe('"1"');
      expect(await again.json()).toEqual(firstBody);
      expect((await names()).filter((n) => n === "Weekend desk")).toHaveLength(1);
      expect((await send({ ...body, name: "Other desk" })).status).toBe(422);
      expect(await names()).not.toContain("Other desk");
    });

    it("refuses a calendar that never opens, naming hours, and saves nothing", async () => {
      const res = await env.s.api("/api/v1/calendars", {
        method: "POST",
        json: { name: "Never", time_zone: "UTC", hours: { mon: [], sat: [] } },
      });
      expect(res.status).toBe(422);
      expect(((await res.json()) as Json).errors).toEqual([
        expect.objectContaining({ path: "hours", message: expect.stringContaining("never opens") }),
      ]);
      expect(await names()).not.toContain("Never");
    });

    it("shows a calendar's openings and holidays, previews an unsaved one, and lists the holiday countries", async () => {
      await env.s.post("/api/v1/calendars", { ...SUPPORT_EU, name: "Paris desk" });
      // From Wednesday 2026-12-23 00:00 in Paris, three days: Wednesday is open, Thursday the 24th is
      // the calendar's own closed date, Friday is Noël.
      const o = (await env.s.get(`${path("Paris desk")}/openings?from=2026-12-22T23:00:00Z&days=3`)) as Json;
      expect(o).toEqual({
        time_zone: "Europe/Paris",
        from: "2026-12-22T23:00:00.000Z",
        to: "2026-12-25T23:00:00.000Z",
        next_opening: "2026-12-23T08:00:00.000Z",
        openings: [{ start: "2026-12-23T08:00:00.000Z", end: "2026-12-23T17:00:00.000Z" }],
        holidays: [
          { date: "2026-12-24", name: "Christmas Eve", source: "own" },
          { date: "2026-12-25", name: "Christmas Day", source: "public" },
        ],
      });

      // The editor's preview: the form as it is, unsaved; a 24×7 calendar in Tokyo is one opening.
      const preview = await env.s.api("/api/v1/calendars/preview?from=2026-06-01T00:00:00Z&days=2", {
        method: "POST",
        json: { name: "Draft", time_zone: "Asia/Tokyo", hours: {} },
      });
      expect(preview.status).toBe(200);
      expect(((await preview.json()) as Json).openings).toEqual([{ start: "2026-06-01T00:00:00.000Z", end: "2026-06-03T00:00:00.000Z" }]);
      expect(await names()).not.toContain("Draft");

      // A preview is checked like a save: problems name their path; so is the query.
      const bad = await env.s.api("/api/v1/calendars/preview", {
        method: "POST",
        json: { name: "Draft", time_zone: "Mars/Olympus", hours: { mon: [["10:00", "09:00"]] } },
      });
      expect(bad.status).toBe(422);
      const paths = ((await bad.json()) as Json).errors.map((e: Json) => e.path);
      expect(paths).toEqual(expect.arrayContaining(["time_zone"]));
      for (const q of ["days=0", "days=63", "days=two", "from=yesterday", "colour=red"]) {
        const r = await env.s.api(`${path("Paris desk")}/openings?${q}`);
        expect(r.status, q).toBe(422);
      }

      const countries = (await env.s.get("/api/v1/calendars/holiday-countries")).data as Json[];
      const us = countries.find((c) => c.code === "US") as Json;
      expect(us.name).toBe("United States of America");
      expect(us.regions).toContainEqual({ code: "CA", name: "California" });
      // Reps read them too (the record page will show SLA clocks on these calendars).
      expect((await env.s.api(`${path("Paris desk")}/openings`, { as: rep })).status).toBe(200);
    });
  });
}
