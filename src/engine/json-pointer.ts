/** RFC 6901 JSON pointers ("/company/industry", "/tags/0", "~1" for "/", "~0" for "~"). Pure. */

export const JSON_POINTER = /^(\/([^~/]|~[01])*)*$/;

/** "/contact/email" → ["contact", "email"], with ~1 and ~0 unescaped. */
export function pointerSegments(pointer: string): string[] {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** The value at `pointer` in `doc`, or undefined when the path leads nowhere. */
export function resolvePointer(doc: unknown, pointer: string): unknown {
  let current: unknown = doc;
  for (const token of pointerSegments(pointer)) {
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
      current = current[Number(token)];
    } else if (typeof current === "object" && current !== null && Object.hasOwn(current, token)) {
      current = (current as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return current;
}
