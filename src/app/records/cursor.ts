/** Opaque page cursors: the keyset position plus the sort they belong to. */
import { AppError } from "../errors.js";

export interface CursorState {
  sort: string;
  value: unknown;
  id: string;
}

export function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state)).toString("base64url");
}

export function decodeCursor(cursor: string, sort: string): CursorState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parsed = undefined;
  }
  const state = parsed as Partial<CursorState> | undefined;
  if (!state || typeof state.id !== "string" || typeof state.sort !== "string") {
    throw new AppError("bad_request", "cursor is not one this API returned", [
      { path: ["cursor"], code: "invalid_value", message: "not a cursor returned by a previous page" },
    ]);
  }
  if (state.sort !== sort) {
    throw new AppError("bad_request", "cursor belongs to another sort order", [
      { path: ["cursor"], code: "invalid_value", message: `cursor was made for sort "${state.sort}", not "${sort}"` },
    ]);
  }
  return { sort: state.sort, value: state.value ?? null, id: state.id };
}
