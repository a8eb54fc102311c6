/**
 * "Save as test case" under a test result: a name and the expectations pre-filled from the result
 * (its status, path, owner and messages — each can be left out), saved on the workflow with the
 * same record, change and answers (POST …/test-cases). The workflow's page lists and runs them.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api, unwrap } from "../../../api/client";
import { ui } from "../../../components/ui";
import { ProblemText } from "./ProblemText";
import type { TestSetup } from "./TestPanel";
import styles from "./test.module.css";
import { type Expect, expectationsFrom, type TestRunResult } from "./test-model";

type Part = "status" | "path" | "owner" | "messages";

export function SaveTestCase({ workflowId, setup, result }: { workflowId: string; setup: TestSetup; result: TestRunResult }) {
  const id = useId();
  const client = useQueryClient();
  const pre = expectationsFrom(result);
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState<string>();
  const [kept, setKept] = useState<Record<Part, boolean>>({ status: true, path: true, owner: pre.owner !== undefined, messages: true });
  const save = useMutation({
    mutationFn: async (body: { name: string; expect: Expect }) =>
      unwrap(
        await api.POST("/api/v1/workflows/{id}/test-cases", {
          params: { path: { id: workflowId } },
          body: {
            ...body,
            ...(setup.record ? { record: setup.record } : {}),
            ...(setup.record_id ? { record_id: setup.record_id } : {}),
            ...(setup.changes ? { changes: setup.changes } : {}),
            ...(Object.keys(setup.answers).length > 0 ? { answers: setup.answers } : {}),
          },
        }),
      ),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["test-cases", workflowId] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim() === "") {
      setNameError("Name the case: say what it checks, e.g. “Score 80: assigned and emailed”.");
      return;
    }
    setNameError(undefined);
    const expect: Expect = {
      ...(kept.status ? { status: pre.status } : {}),
      ...(kept.path ? { path: pre.path } : {}),
      ...(kept.owner && pre.owner ? { owner: pre.owner } : {}),
      ...(kept.messages ? { messages: pre.messages } : {}),
    };
    save.mutate({ name: name.trim(), expect });
  };
  const words: Record<Part, string> = {
    status: `Status is ${pre.status}`,
    path: pre.path.length > 0 ? `Path is ${pre.path.join(" → ")}` : "No step is taken",
    owner: pre.owner ? `Owner is ${pre.owner.user}` : "Owner (none chosen)",
    messages: `Messages: ${pre.messages.map((m) => `${m.count ?? 1} ${m.kind}${m.to ? ` to ${m.to}` : ""}`).join(", ")}`,
  };
  return (
    <form className={styles.saveCase} onSubmit={submit} noValidate aria-labelledby={`${id}-h`}>
      <h4 id={`${id}-h`}>Save as test case</h4>
      <div className={ui.field}>
        <label className={ui.label} htmlFor={`${id}-name`}>
          Test case name
        </label>
        <input
          id={`${id}-name`}
          className={ui.input}
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={nameError ? true : undefined}
          aria-describedby={nameError ? `${id}-name-error` : undefined}
        />
        {nameError ? (
          <span id={`${id}-name-error`} className={ui.fieldError}>
            {nameError}
          </span>
        ) : null}
      </div>
      <fieldset className={styles.expectations}>
        <legend>Expect, from this result</legend>
        {(["status", "path", "owner", "messages"] as const).map((p) => (
          <label key={p} className={styles.check}>
            <input
              type="checkbox"
              checked={kept[p]}
              disabled={p === "owner" && !pre.owner}
              onChange={(e) => setKept((k) => ({ ...k, [p]: e.target.checked }))}
            />{" "}
            {words[p]}
          </label>
        ))}
      </fieldset>
      <div className={styles.buttons}>
        <button type="submit" className={ui.secondary} disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save test case"}
        </button>
      </div>
      {save.error ? <ProblemText error={save.error} what="The test case was not saved" /> : null}
      {save.data ? (
        <p role="status" className={styles.saved}>
          Saved “{save.data.name}”. It is listed with the workflow's test cases.
        </p>
      ) : null}
    </form>
  );
}
