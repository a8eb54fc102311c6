/**
 * The builder checks the workflow as it is built: ~500 ms after the last edit the definition goes
 * to the server's publish validation (POST /api/v1/workflows/validate) and its problems — each
 * with the dotted path of what it is about — become the page's `problems`. Only the answer to the
 * newest definition counts: an older answer arriving late is dropped.
 */
import { useEffect, useRef, useState } from "react";
import { ApiError, api, unwrap } from "../../api/client";
import type { WorkflowDefinition } from "../../components/graph/definition";
import type { Problem } from "./model/problems";

export const VALIDATE_MS = 500;

export interface Validation {
  problems: Problem[];
  /** True from an edit until the answer about it arrives: publishing waits for it. */
  checking: boolean;
  /** The check itself failed (network, session): the problems shown may be out of date. */
  error: string | undefined;
}

interface ServerProblem {
  path: string;
  code: string;
  message: string;
  expected?: unknown;
}

export function useValidation(definition: WorkflowDefinition): Validation {
  const [state, setState] = useState<Validation>({ problems: [], checking: true, error: undefined });
  const asked = useRef(0);

  useEffect(() => {
    const ask = ++asked.current;
    setState((s) => (s.checking ? s : { ...s, checking: true }));
    const timer = setTimeout(async () => {
      try {
        const answer = unwrap(await api.POST("/api/v1/workflows/validate", { body: { definition } })) as { errors: ServerProblem[] };
        if (ask === asked.current) setState({ problems: answer.errors.map(asProblem), checking: false, error: undefined });
      } catch (e) {
        if (ask !== asked.current) return;
        // A body the server refuses outright (too deep, bad text) names its problems too.
        const named = e instanceof ApiError ? (e.problem?.errors ?? []) : [];
        if (named.length > 0) setState({ problems: named.map(asProblem), checking: false, error: undefined });
        else setState((s) => ({ ...s, checking: false, error: e instanceof Error ? e.message : String(e) }));
      }
    }, VALIDATE_MS);
    return () => clearTimeout(timer);
  }, [definition]);

  return state;
}

const asProblem = (p: ServerProblem): Problem => ({
  path: p.path,
  code: p.code,
  message: p.message,
  ...(p.expected !== undefined ? { expected: Array.isArray(p.expected) ? p.expected.join(", ") : String(p.expected) } : {}),
});
