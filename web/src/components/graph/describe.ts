/**
 * Workflow parts in words, for people who never read the JSON: "Wait 15 min", "Assign owner:
 * round-robin in team Americas East", "score > 40 and employee count > 10". Pure; the graph's
 * nodes and edges, the step lists beside it and the tests use these. Relative imports carry `.js`
 * so that the root TypeScript project (which checks the unit tests) resolves them too.
 */
import type {
  ActionSpec,
  ApprovalLevel,
  ApprovalRoute,
  ApprovalTimeout,
  ApproverSpec,
  CalendarRef,
  Condition,
  Duration,
  LeafCondition,
  Offset,
  PersonSpec,
  StepSpec,
  TriggerSpec,
} from "./definition.js";
import { type ReviewKind, SLA_MILESTONES } from "./definition.js";

/** `owner_id` → "owner", `employee_count` → "employee count", `company_id.industry` → "company's industry". */
export function fieldWords(field: string): string {
  const one = (f: string) => f.replace(/_id$/, "").replaceAll("_", " ");
  const parts = field.split(".");
  if (parts.length === 1) return one(field);
  return parts.map(one).join("'s ");
}

/** "a lead", "an activity". */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? "an" : "a"} ${word}`;
}

export function plural(object: string, n = 2): string {
  if (n === 1) return object;
  if (object.endsWith("y")) return `${object.slice(0, -1)}ies`;
  if (object.endsWith("s")) return `${object}es`;
  return `${object}s`;
}

/** {minutes: 15} → "15 min"; {days: 1, hours: 2} → "1 day 2 h"; {} → "0 s". */
export function durationWords(d: Duration): string {
  const parts: string[] = [];
  if (d.days) parts.push(`${d.days} ${d.days === 1 ? "day" : "days"}`);
  if (d.hours) parts.push(`${d.hours} h`);
  if (d.minutes) parts.push(`${d.minutes} min`);
  if (d.seconds) parts.push(`${d.seconds} s`);
  return parts.length > 0 ? parts.join(" ") : "0 s";
}

function offsetWords(o: Offset | undefined, field: string): string {
  if (!o || durationWords(o) === "0 s") return `on ${fieldWords(field)}`;
  return `${durationWords(o)} ${o.before ? "before" : "after"} ${fieldWords(field)}`;
}

/** A value as it reads in a sentence: strings quoted only when they hold spaces. */
export function valueWords(v: unknown): string {
  if (v === null || v === undefined) return "empty";
  if (Array.isArray(v)) return v.map(valueWords).join(", ");
  if (typeof v === "string") return /\s/.test(v) ? `“${v}”` : v;
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

const SYMBOLS: Record<string, string> = { eq: "=", neq: "≠", gt: ">", gte: "≥", lt: "<", lte: "≤" };

function leafWords(c: LeafCondition): string {
  const subject = c.count ? countWords(c.count) : fieldWords(c.field ?? "?");
  if (c.count && (c.op === "gte" || c.op === "gt") && typeof c.value === "number") {
    const least = c.op === "gt" ? c.value + 1 : c.value;
    return `at least ${least} ${subject.replace(/^number of /, "").replace(/^(\w+)/, (o) => (least === 1 ? singular(o) : o))}`;
  }
  const symbol = SYMBOLS[c.op];
  if (symbol) return `${subject} ${symbol} ${valueWords(c.value)}`;
  switch (c.op) {
    case "in":
      return `${subject} is one of ${valueWords(c.value)}`;
    case "nin":
      return `${subject} is none of ${valueWords(c.value)}`;
    case "contains":
      return `${subject} contains ${valueWords(c.value)}`;
    case "starts_with":
      return `${subject} starts with ${valueWords(c.value)}`;
    case "between":
      return Array.isArray(c.value) && c.value.length === 2
        ? `${subject} between ${valueWords(c.value[0])} and ${valueWords(c.value[1])}`
        : `${subject} between ${valueWords(c.value)}`;
    case "is_set":
      return `${subject} is set`;
    case "is_not_set":
      return `${subject} is empty`;
    case "changed":
      return `${subject} changed`;
    case "changed_from":
      return `${subject} changed from ${valueWords(c.value)}`;
    case "changed_to":
      return `${subject} changed to ${valueWords(c.value)}`;
    case "within_last_days":
      return `${subject} within the last ${valueWords(c.value)} days`;
    case "within_next_days":
      return `${subject} within the next ${valueWords(c.value)} days`;
    case "is_new":
      return "the record is new";
    default:
      return `${subject} ${c.op} ${valueWords(c.value)}`;
  }
}

function singular(word: string): string {
  if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.endsWith("sses")) return word.slice(0, -2);
  return word.endsWith("s") ? word.slice(0, -1) : word;
}

function countWords(count: NonNullable<LeafCondition["count"]>): string {
  const where = count.where ? ` where ${conditionWords(count.where)}` : "";
  return `number of ${plural(count.object)}${where}`;
}

/** A condition in words; `and` / `or` groups inside another group are bracketed. */
export function conditionWords(c: Condition, nested = false): string {
  const group = (parts: Condition[], joiner: string) => {
    const text = parts.map((p) => conditionWords(p, true)).join(` ${joiner} `);
    return nested && parts.length > 1 ? `(${text})` : text;
  };
  if ("and" in c) return group(c.and, "and");
  if ("or" in c) return group(c.or, "or");
  if ("not" in c) return `not ${conditionWords(c.not, true)}`;
  return leafWords(c);
}

export function personWords(p: PersonSpec): string {
  if ("user_id" in p) return `user ${p.user_id}`;
  if ("field" in p) return p.field === "owner_id" ? "the owner" : `the user in ${fieldWords(p.field)}`;
  if ("manager_of" in p) return `the manager of ${p.manager_of === "owner_id" ? "the owner" : `the ${fieldWords(p.manager_of)}`}`;
  const whose = (field: string) => (field === "owner_id" ? "the owner" : `the ${fieldWords(field)}`);
  if ("on_call_of" in p) return `who is on call in the team of ${whose(p.on_call_of)}`;
  return `the team lead of ${whose(p.team_lead_of)}`;
}

/** The trigger in words, e.g. "When a lead is created". */
export function triggerWords(t: TriggerSpec, object: string): string {
  const filter = (f: Condition | undefined) => (f ? ` where ${conditionWords(f)}` : "");
  switch (t.type) {
    case "record_created":
      return `When ${withArticle(object)} is created${filter(t.filter)}`;
    case "record_updated":
      return `When ${withArticle(object)} is updated${t.fields?.length ? ` (${t.fields.map(fieldWords).join(", ")})` : ""}${filter(t.filter)}`;
    case "record_deleted":
      return `When ${withArticle(object)} is deleted`;
    case "field_changed": {
      const from = t.from !== undefined ? ` from ${valueWords(t.from)}` : "";
      const to = t.to !== undefined ? ` to ${valueWords(t.to)}` : "";
      return `When ${fieldWords(t.field)} changes${from}${to}`;
    }
    case "relative_date":
      return `${offsetWords(t.offset, t.field).replace(/^./, (s) => s.toUpperCase())}${t.at ? ` at ${t.at}` : ""}`;
    case "inactivity":
      return `When ${withArticle(object)} has had no activity for ${t.days} days`;
    case "score_threshold":
      return `When ${fieldWords(t.field ?? "score")} goes ${t.direction === "down" ? "below" : "above"} ${t.threshold}`;
    case "external":
      return `When the outside event “${t.key}” arrives`;
    case "manual":
      return "When someone enrolls a record";
    case "review_queued":
      return `When ${withArticle(object)} enters the review queue${t.kinds ? ` (${t.kinds.map((k) => REVIEW_KIND_WORDS[k]).join(", ")})` : ""}`;
    case "schedule":
      return `On the schedule ${t.cron} (${t.time_zone ?? "UTC"})${filter(t.filter)}`;
    case "sla":
      return slaTriggerWords(t);
    case "email_engaged": {
      const on = t.on ?? ["opened"];
      const what = [on.includes("opened") ? "opens an email" : "", on.includes("clicked") ? "clicks a link in an email" : ""].filter(
        Boolean,
      );
      return `When ${withArticle(object)}'s person ${what.join(" or ")} a workflow sent them`;
    }
  }
}

const REVIEW_KIND_WORDS: { [K in ReviewKind]: string } = {
  duplicate: "a possible duplicate",
  rule: "a rule warning",
  format: "a format to check",
  required: "a missing field",
  manual: "flagged by someone",
};

/**
 * An `sla` trigger in words: "When the Ticket first response SLA is breached", "… warns or is
 * breached", "… escalates to level 2" (a level narrows the breach or the escalation it names).
 */
function slaTriggerWords(t: Extract<TriggerSpec, { type: "sla" }>): string {
  const verbs = SLA_MILESTONES.filter((m) => t.milestones.includes(m)).map((m) => {
    if (m === "warning") return "warns";
    if (m === "breach") return "is breached";
    return t.level !== undefined && t.level >= 2 ? `escalates to level ${t.level}` : "escalates";
  });
  const what =
    verbs.length === 0 ? "reaches a milestone" : verbs.length === 1 ? verbs[0] : `${verbs.slice(0, -1).join(", ")} or ${verbs.at(-1)}`;
  return `When the ${t.policy ? `${t.policy} ` : ""}SLA ${what}`;
}

/** What an action does: a short title and one line of detail. */
export function actionWords(a: ActionSpec): { title: string; detail: string } {
  switch (a.type) {
    case "update_fields":
      return {
        title: "Update fields",
        detail: Object.entries(a.fields)
          .map(([k, v]) => `${fieldWords(k)} = ${valueWords(v)}`)
          .join(", "),
      };
    case "create_task":
      return {
        title: `Create ${a.priority ?? "P3"} task`,
        detail: `“${a.subject}”${a.due_in ? `, due in ${durationWords(a.due_in)}` : ""}${a.owner ? ` for ${personWords(a.owner)}` : ""}`,
      };
    case "create_record": {
      const shown = a.fields?.subject ?? a.fields?.name;
      return { title: `Create ${withArticle(a.object)}`, detail: shown !== undefined ? valueWords(shown) : `linked to this record` };
    }
    case "assign_owner": {
      const to = a.to;
      const who =
        "round_robin_team" in to
          ? `round-robin in team ${to.round_robin_team}`
          : "queue" in to
            ? `next in queue ${to.queue}`
            : "rule_set" in to
              ? `by rule set ${to.rule_set}`
              : "company_owner" in to
                ? "the company's owner"
                : personWords(to);
      return { title: "Assign owner", detail: `${who}${a.exclude_current ? ", never the current owner" : ""}` };
    }
    case "add_activity":
      return { title: `Log ${withArticle(a.activity_type ?? "note")}`, detail: `“${a.subject}”` };
    case "change_score":
      return { title: "Change score", detail: `${fieldWords(a.field ?? "score")} ${a.by >= 0 ? "+" : "−"}${Math.abs(a.by)}` };
    case "enroll":
      return { title: "Start another workflow", detail: a.workflow };
    case "unenroll":
      return { title: "Stop another workflow", detail: a.workflow };
    case "notify":
      return { title: `Notify ${personWords(a.to)}`, detail: a.message };
    case "merge_records":
      return {
        title: "Merge into another record",
        detail:
          "record_id" in a.into
            ? `into ${a.into.record_id}`
            : `into its best suspected duplicate${a.into.min_score !== undefined ? ` scored ${Math.round(a.into.min_score * 100)}% or more` : ""}`,
      };
    case "add_to_review_queue":
      return { title: "Add to review queue", detail: `${a.reason}${a.assign_to ? ` — for ${personWords(a.assign_to)}` : ""}` };
    case "send_chat":
      return { title: "Send a chat message", detail: a.text };
    case "send_email":
      return {
        title: "Send an email",
        detail: `to ${"record_email" in a.to ? "the record's email" : personWords(a.to)}: “${a.subject}”`,
      };
    case "http_request":
      return { title: "Call another system", detail: `${a.method ?? "POST"} ${a.connector}${a.path ?? ""}` };
  }
}

/** A step in words: its title (what kind, what it does) and one line of detail. */
export function stepWords(s: StepSpec): { title: string; detail: string } {
  switch (s.type) {
    case "action":
      return actionWords(s.action);
    case "branch":
      return { title: "Branch", detail: "the first rule that holds picks the path" };
    case "switch":
      return { title: `Switch on ${fieldWords(s.field)}`, detail: `one path per value of ${fieldWords(s.field)}` };
    case "delay":
      if (s.duration) return { title: `Wait ${durationWords(s.duration)}`, detail: "then go on" };
      if (s.until_field) return { title: `Wait until ${offsetWords(s.until_field.offset, s.until_field.field)}`, detail: "then go on" };
      if (s.until_time)
        return {
          title: `Wait until ${s.until_time.time}`,
          detail: `${s.until_time.days ? `on ${s.until_time.days.join(", ")}, ` : ""}${s.until_time.time_zone ?? "workspace time zone"}`,
        };
      if (s.business) return { title: `Wait ${businessWords(s.business)}`, detail: `on ${calendarWords(s.business.calendar)}` };
      if (s.until_opening)
        return { title: `Wait until ${calendarWords(s.until_opening.calendar)} opens`, detail: "no wait while it is open" };
      return { title: "Wait", detail: "no duration set" };
    case "wait_for":
      return { title: `Wait until ${waitForWhat(s)}`, detail: `at most ${durationWords(s.timeout)}` };
    case "approval":
      return approvalWords(s);
    case "classify":
      return { title: `Classify ${fieldWords(s.field)}`, detail: `AI model ${s.model}; unsure predictions are not written` };
    case "end":
      return { title: "End", detail: "the run is complete" };
  }
}

const whoseWords = (field: string) => (field === "owner_id" ? "the owner" : `the ${fieldWords(field)}`);

/** One approver spec in words: "the manager of the owner", "every manager", "queue Deal desk". */
export function approverWords(a: ApproverSpec): string {
  if ("user_id" in a) return `user ${a.user_id}`;
  if ("manager_of" in a) return `the manager of ${whoseWords(a.manager_of)}`;
  if ("team_lead_of" in a) return `the team lead of ${whoseWords(a.team_lead_of)}`;
  if ("team_lead" in a) return `the lead of team ${a.team_lead}`;
  if ("role" in a) return `every ${a.role}`;
  return `queue ${a.queue}`;
}

/** "a or b", "a, b and c". */
function listWords(parts: readonly string[], joiner: "or" | "and"): string {
  if (parts.length <= 1) return parts[0] ?? "";
  return `${parts.slice(0, -1).join(", ")} ${joiner} ${parts.at(-1)}`;
}

/** A level by its name, else its approvers: "VP Sales", "the manager of the owner or every admin", "2 of …". */
export function levelWords(level: ApprovalLevel): string {
  if (level.name) return level.name;
  const who = level.approvers.map(approverWords);
  if (who.length === 0) return "nobody yet";
  const require = level.require ?? "any";
  if (require === "all") return listWords(who, "and");
  if (typeof require === "number" && who.length > 1) return `${require} of ${listWords(who, "and")}`;
  return listWords(who, "or");
}

/** What a route decides: "VP Sales then Finance", "approve automatically". */
export function routeDecisionWords(r: ApprovalRoute): string {
  if (r.auto) return `${r.auto} automatically`;
  const levels = r.levels ?? [];
  return levels.length > 0 ? levels.map(levelWords).join(" then ") : "nobody yet";
}

/** A route in words: "discount pct > 20 → VP Sales", "otherwise approve automatically". */
export function routeWords(r: ApprovalRoute, first: boolean): string {
  if (!r.when) return `${first ? "" : "otherwise "}${routeDecisionWords(r)}`;
  return `${conditionWords(r.when)} → ${routeDecisionWords(r)}`;
}

/** "if undecided after 2 days: escalate to the VP", "… after 8 business hours: take the timed-out path". */
export function approvalTimeoutWords(t: ApprovalTimeout): string {
  const after = t.after ? durationWords(t.after) : t.business ? businessWords(t.business) : "a time not set";
  const then =
    t.then === "escalate"
      ? `escalate to ${t.escalate_to?.length ? listWords(t.escalate_to.map(approverWords), "or") : "nobody yet"}`
      : t.then === "path"
        ? "take the timed-out path"
        : t.then;
  return `if undecided after ${after}: ${then}`;
}

/**
 * An approval step in words. One route: "Ask VP Sales to approve “Discount 25%”" (or "Approve …
 * automatically"), its time limit under it. Several: "Approval: discount pct > 20 → VP Sales;
 * otherwise approve automatically", what is approved under it.
 */
function approvalWords(s: Extract<StepSpec, { type: "approval" }>): { title: string; detail: string } {
  const summary = `“${s.summary}”`;
  const timeout = s.timeout ? approvalTimeoutWords(s.timeout) : undefined;
  const only = s.routes.length === 1 ? s.routes[0] : undefined;
  if (only && !only.when) {
    if (only.auto)
      return { title: `${only.auto === "approve" ? "Approve" : "Reject"} ${summary} automatically`, detail: "nobody is asked" };
    return { title: `Ask ${routeDecisionWords(only)} to approve ${summary}`, detail: timeout ?? "no time limit" };
  }
  return {
    title: `Approval: ${s.routes.map((r, i) => routeWords(r, i === 0)).join("; ")}`,
    detail: timeout ? `${summary}, ${timeout}` : summary,
  };
}

/** "the owner's calendar", "calendar Support EU"; no calendar named is the workspace's. */
export function calendarWords(ref: CalendarRef | undefined): string {
  if (!ref || ("of" in ref && ref.of === "workspace")) return "the workspace calendar";
  if ("name" in ref) return `calendar ${ref.name}`;
  return ref.of === "owner" ? "the owner's calendar" : "the owner's team's calendar";
}

/** "4 business hours", "1 business hour 30 min", "2 business days"; what is not set yet says so. */
export function businessWords(b: { hours?: number; minutes?: number; days?: number }): string {
  const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;
  if (b.days !== undefined) return plural(b.days, "business day");
  if (b.hours && b.minutes) return `${plural(b.hours, "business hour")} ${b.minutes} min`;
  if (b.hours) return plural(b.hours, "business hour");
  if (b.minutes) return plural(b.minutes, "business minute");
  return "for business time (how long is not set)";
}

/** "a call is logged" for an awaited activity of type call; otherwise the event or condition. */
function waitForWhat(s: Extract<StepSpec, { type: "wait_for" }>): string {
  if (s.event) {
    const where = s.event.where;
    if (s.event.object === "activity" && where && "field" in where && where.field === "type" && where.op === "eq")
      return `${withArticle(valueWords(where.value))} is logged`;
    const verb = s.event.object === "activity" ? "logged" : (s.event.kind ?? "created");
    return `${withArticle(s.event.object)} is ${verb}${where ? ` where ${conditionWords(where)}` : ""}`;
  }
  if (s.condition) return conditionWords(s.condition);
  return "something happens";
}
