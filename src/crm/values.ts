/**
 * Checking and normalising one field value by its type. Pure: no IO, no clock.
 * Values are stored normalised (phones E.164, datetimes UTC ISO-8601) so that equality and
 * ordering work the same way in every store. Emails are the exception: stored as typed (trimmed),
 * never altered (issue 20, item 2) — every comparison of emails folds their case instead
 * (`foldEmail`: filters, inbound matching, conditions; match keys lower-case them on their own).
 */
import { parsePhoneNumberFromString } from "libphonenumber-js";
import validator from "validator";
import { overlappingSpans } from "./assignment/availability.js";
import type { FieldDef, JsonShape } from "./fields.js";
import type { Issue } from "./issues.js";
import { findTextFaults, textFault, textFaultMessage } from "./text.js";

export type ValueResult = { ok: true; value: unknown } | { ok: false; issue: Omit<Issue, "path"> };

const MAX_STRING = 1_000;
const MAX_TEXT = 100_000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const HHMM_RE = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

const ok = (value: unknown): ValueResult => ({ ok: true, value });
const bad = (code: Issue["code"], message: string, expected?: Issue["expected"]): ValueResult => ({
  ok: false,
  issue: expected === undefined ? { code, message } : { code, message, expected },
});

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function isValidDate(value: string): boolean {
  if (!DATE_RE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Parses an ISO-8601 instant with an explicit offset; returns it in UTC, or undefined. */
export function normaliseDateTime(value: string): string | undefined {
  if (!DATETIME_RE.test(value)) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  const datePart = value.slice(0, 10);
  if (!isValidDate(datePart)) return undefined;
  return new Date(ms).toISOString();
}

function checkString(field: FieldDef, value: unknown, max: number): ValueResult {
  if (typeof value !== "string") return bad("invalid_type", `expected a string, got ${typeName(value)}`, "string");
  if (value.length > max) return bad("too_long", `must be at most ${max} characters`);
  if (field.format === "time_zone" && !isValidTimeZone(value)) {
    return bad("invalid_value", `"${value}" is not an IANA time zone such as "Europe/Berlin"`, "IANA time zone");
  }
  return ok(value);
}

function checkNumber(field: FieldDef, value: unknown, integer: boolean): ValueResult {
  const kind = integer ? "integer" : "number";
  if (typeof value !== "number" || !Number.isFinite(value)) {
    return bad("invalid_type", `expected ${integer ? "an integer" : "a number"}, got ${typeName(value)}`, kind);
  }
  if (integer && !Number.isInteger(value)) return bad("invalid_type", "expected an integer, got a fraction", kind);
  if (field.min !== undefined && value < field.min) return bad("too_small", `must be ≥ ${field.min}`);
  if (field.max !== undefined && value > field.max) return bad("too_big", `must be ≤ ${field.max}`);
  return ok(value);
}

function checkShape(shape: JsonShape, value: unknown): ValueResult {
  switch (shape) {
    case "string_list":
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && v.length <= MAX_STRING)) {
        return bad("invalid_type", "expected a list of strings", "string[]");
      }
      return ok(value);
    case "periods": {
      const expected = "[{start: datetime, end: datetime}]";
      if (!Array.isArray(value)) return bad("invalid_type", `expected a list of periods ${expected}`, expected);
      const out: { start: string; end: string }[] = [];
      for (const p of value) {
        const start = typeof p?.start === "string" ? normaliseDateTime(p.start) : undefined;
        const end = typeof p?.end === "string" ? normaliseDateTime(p.end) : undefined;
        if (!start || !end) return bad("invalid_value", `each period needs ISO-8601 start and end: ${expected}`, expected);
        if (end <= start) return bad("invalid_value", "a period must end after it starts");
        out.push({ start, end });
      }
      return ok(out);
    }
    case "working_hours": {
      const expected = '{"mon": [["09:00","17:00"]], …} with days mon…sun';
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return bad("invalid_type", `expected working hours ${expected}`, expected);
      }
      for (const [day, spans] of Object.entries(value)) {
        if (!(WEEKDAYS as readonly string[]).includes(day)) {
          return bad("invalid_value", `unknown day "${day}"; allowed: ${WEEKDAYS.join(", ")}`, WEEKDAYS);
        }
        const valid =
          Array.isArray(spans) &&
          spans.every(
            (s) =>
              Array.isArray(s) &&
              s.length === 2 &&
              typeof s[0] === "string" &&
              typeof s[1] === "string" &&
              HHMM_RE.test(s[0]) &&
              HHMM_RE.test(s[1]) &&
              s[0] < s[1],
          );
        if (!valid) return bad("invalid_value", `${day}: expected a list of ["HH:MM","HH:MM"] spans, start before end`);
        const [overlap] = overlappingSpans(spans);
        if (overlap) {
          const [a, b] = [spans[overlap.earlier], spans[overlap.index]];
          return bad("invalid_value", `${day}: spans ${a[0]}–${a[1]} and ${b[0]}–${b[1]} overlap; the spans of a day must not overlap`);
        }
      }
      return ok(value);
    }
    case "on_call_rotation": {
      const expected = '{"members": [user ids in turn], "starts": "YYYY-MM-DD", "handover": "HH:MM"}';
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return bad("invalid_type", `expected an on-call rotation ${expected}`, expected);
      }
      const r = value as Record<string, unknown>;
      const extra = Object.keys(r).find((k) => !["members", "starts", "handover"].includes(k));
      if (extra) return bad("invalid_value", `unknown key "${extra}" in an on-call rotation ${expected}`, expected);
      const members = r.members;
      if (
        !Array.isArray(members) ||
        members.length === 0 ||
        members.length > 100 ||
        !members.every((m) => typeof m === "string" && m.length > 0 && m.length <= 64)
      ) {
        return bad("invalid_value", "members: a list of 1 to 100 user ids, in the order they take the week", expected);
      }
      if (typeof r.starts !== "string" || !isValidDate(r.starts))
        return bad("invalid_value", "starts: the first day of the first week, YYYY-MM-DD", expected);
      if (r.handover !== undefined && (typeof r.handover !== "string" || !HHMM_RE.test(r.handover) || r.handover >= "24:00")) {
        return bad("invalid_value", 'handover: the wall time of the weekly handover, "HH:MM" (default "09:00")', expected);
      }
      return ok({ members, starts: r.starts, ...(r.handover !== undefined ? { handover: r.handover } : {}) });
    }
  }
}

/**
 * An email as it is compared: A–Z folded to a–z, nothing else changed. ASCII only, so that
 * SQLite's lower() and PostgreSQL's lower() under the "C" collation fold exactly the same letters
 * as this does (`SqlDialect.lowerAscii`); every mail system in use ignores the case of an address.
 */
export function foldEmail(email: string): string {
  return email.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** A field's value as equality compares it: emails folded (foldEmail), everything else as it is. */
export function comparableValue(field: FieldDef, value: unknown): unknown {
  return field.type === "email" && typeof value === "string" ? foldEmail(value) : value;
}

/** Checks a non-null value against its field's type and returns it normalised. */
export function checkValue(field: FieldDef, value: unknown): ValueResult {
  // Before any type check: validators (the email one) throw on a lone surrogate, and PostgreSQL
  // refuses a NUL — a value holding either is refused here alike on every path and store.
  // Most values are plain strings or numbers: check those without the walk's allocations (this
  // runs for every field of every write).
  if (typeof value === "string") {
    const fault = textFault(value);
    if (fault) return bad("invalid_value", textFaultMessage(fault));
  } else if (typeof value === "object" && value !== null) {
    const [fault] = findTextFaults(value, [], 1);
    if (fault) return bad("invalid_value", fault.path.length === 0 ? fault.message : `${fault.path.join(".")} ${fault.message}`);
  }
  switch (field.type) {
    case "string":
      return checkString(field, value, MAX_STRING);
    case "text":
      return checkString(field, value, MAX_TEXT);
    case "email": {
      if (typeof value !== "string") return bad("invalid_type", `expected an email address, got ${typeName(value)}`, "email");
      const trimmed = value.trim();
      if (!validator.isEmail(trimmed)) return bad("invalid_value", `"${value}" is not an email address`, "email");
      // As typed: "Ana.Silva@Example.com" stays so; comparisons fold the case (foldEmail).
      return ok(trimmed);
    }
    case "phone": {
      if (typeof value !== "string") return bad("invalid_type", `expected a phone number, got ${typeName(value)}`, "phone");
      const parsed = parsePhoneNumberFromString(value);
      if (!parsed?.isValid()) {
        return bad("invalid_value", `"${value}" is not a phone number with country code, e.g. +14155550123`, "E.164 phone");
      }
      return ok(parsed.number);
    }
    case "url": {
      if (typeof value !== "string" || !validator.isURL(value, { protocols: ["http", "https"], require_protocol: true })) {
        return bad("invalid_value", "expected an http(s) URL", "url");
      }
      return ok(value);
    }
    case "integer":
      return checkNumber(field, value, true);
    case "number":
      return checkNumber(field, value, false);
    case "boolean":
      return typeof value === "boolean" ? ok(value) : bad("invalid_type", `expected true or false, got ${typeName(value)}`, "boolean");
    case "date":
      return typeof value === "string" && isValidDate(value)
        ? ok(value)
        : bad("invalid_value", "expected a calendar date YYYY-MM-DD", "date");
    case "datetime": {
      const normalised = typeof value === "string" ? normaliseDateTime(value) : undefined;
      return normalised
        ? ok(normalised)
        : bad("invalid_value", "expected an ISO-8601 date-time with offset, e.g. 2026-03-01T09:30:00Z", "datetime");
    }
    case "enum": {
      const options = field.options ?? [];
      return typeof value === "string" && options.includes(value)
        ? ok(value)
        : bad("not_in_options", `must be one of: ${options.join(", ")}`, options);
    }
    case "reference":
      return typeof value === "string" && value.length > 0 && value.length <= 64
        ? ok(value)
        : bad("invalid_type", `expected the id of a ${(field.references ?? []).join(" or ")}`, "record id");
    case "json":
      return field.shape ? checkShape(field.shape, value) : ok(value);
  }
}
