/**
 * Calls on the records of any object. The generated client types each object's routes under
 * its own literal path (`/api/v1/leads`, `/api/v1/deals` …); these pages work on whichever
 * object is in the URL, so they call the same routes with `fetch`, the same headers as `api`
 * (cookie, CSRF token on writes) and the same `ApiError` for a refusal. Import goes through
 * XMLHttpRequest because fetch cannot report upload progress.
 */
import { ApiError, apiHeaders, type Problem } from "../api/client";
import type { FilterNode } from "./filters";
import type { ApiRecord } from "./model";

export interface Page {
  data: ApiRecord[];
  next_cursor: string | null;
}

export interface ListParams {
  filter?: FilterNode | undefined;
  sort?: string | undefined;
  limit?: number;
  cursor?: string | undefined;
  include?: string[];
}

async function problemOf(res: Response): Promise<Partial<Problem> | undefined> {
  try {
    return (await res.json()) as Partial<Problem>;
  } catch {
    return undefined;
  }
}

async function call(method: string, path: string, body?: unknown, extra?: Record<string, string>): Promise<Response> {
  const headers = apiHeaders(method, body !== undefined);
  for (const [k, v] of Object.entries(extra ?? {})) headers.set(k, v);
  const res = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new ApiError(res.status, await problemOf(res));
  return res;
}

/** The query string of a list or an export: the filter as the API's JSON tree. */
export function listQuery(params: ListParams): URLSearchParams {
  const q = new URLSearchParams();
  if (params.filter) q.set("filter", JSON.stringify(params.filter));
  if (params.sort) q.set("sort", params.sort);
  if (params.limit !== undefined) q.set("limit", String(params.limit));
  if (params.cursor) q.set("cursor", params.cursor);
  if (params.include && params.include.length > 0) q.set("include", params.include.join(","));
  return q;
}

export async function listRecords(plural: string, params: ListParams): Promise<Page> {
  const res = await call("GET", `/api/v1/${plural}?${listQuery(params)}`);
  return (await res.json()) as Page;
}

/** The export of everything the filter matches (no page, no sort: the API exports in creation order). */
export function exportUrl(plural: string, filter: FilterNode | undefined): string {
  const q = listQuery({ filter });
  const query = q.toString();
  return `/api/v1/${plural}/export.csv${query ? `?${query}` : ""}`;
}

/** One record and the version it was read at (its ETag), for an edit's If-Match. */
export async function getRecord(plural: string, id: string, include: string[] = []): Promise<ApiRecord> {
  const q = include.length > 0 ? `?include=${encodeURIComponent(include.join(","))}` : "";
  const res = await call("GET", `/api/v1/${plural}/${encodeURIComponent(id)}${q}`);
  return (await res.json()) as ApiRecord;
}

export async function createRecord(plural: string, fields: Record<string, unknown>): Promise<ApiRecord> {
  const res = await call("POST", `/api/v1/${plural}`, fields);
  return (await res.json()) as ApiRecord;
}

/** PATCH with `If-Match: "version"`: a 412 (someone else saved first) throws an ApiError with status 412. */
export async function updateRecord(plural: string, id: string, version: number, fields: Record<string, unknown>): Promise<ApiRecord> {
  const res = await call("PATCH", `/api/v1/${plural}/${encodeURIComponent(id)}`, fields, { "if-match": `"${version}"` });
  return (await res.json()) as ApiRecord;
}

export interface ImportResult {
  imported: number;
  ids: string[];
}

/**
 * POST /api/v1/{plural}/import with the file as text/csv. `onUpload` gets the bytes sent so
 * far and the total. Resolves with what was created; rejects with an ApiError (a 422 names
 * each bad row as `row[N].field`).
 */
export function importCsv(plural: string, file: Blob, onUpload: (sent: number, total: number) => void): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/v1/${plural}/import`);
    xhr.withCredentials = true;
    for (const [key, value] of apiHeaders("POST", false)) xhr.setRequestHeader(key, value);
    xhr.setRequestHeader("content-type", "text/csv");
    xhr.upload.onprogress = (e) => onUpload(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new Error("the upload did not reach the server; check the connection and try again"));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as ImportResult);
      else reject(new ApiError(xhr.status, body as Partial<Problem> | undefined));
    };
    xhr.send(file);
  });
}
