/** One recipe: what it does, its trigger, what it needs here, its install state and the two install buttons. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useId } from "react";
import { ApiError, api, type Schemas, unwrap } from "../../api/client";
import type { WorkflowDefinition } from "../../components/graph/definition";
import { triggerWords } from "../../components/graph/describe";
import { ui } from "../../components/ui";
import { StatusBadge } from "./StatusBadge";
import { CONNECTOR_KIND_WORDS } from "./words";
import styles from "./workflows.module.css";

type Recipe = Schemas["Recipe"];

/** The server's refusal as sentences: its detail, then each problem (a missing connector names its path). */
function refusal(error: Error): { detail: string; problems: string[] } {
  if (!(error instanceof ApiError)) return { detail: error.message, problems: [] };
  const problems = (error.problem?.errors ?? []).map((e) =>
    /connector$/.test(e.path) ? `${e.message} (${e.path})` : `${e.path}: ${e.message}`,
  );
  return { detail: error.problem?.detail ?? error.message, problems };
}

export function RecipeCard({ recipe, canInstall }: { recipe: Recipe; canInstall: boolean }) {
  const queryClient = useQueryClient();
  const titleId = useId();
  const install = useMutation({
    mutationFn: async (publish: boolean) =>
      unwrap(await api.POST("/api/v1/recipes/{key}/install", { params: { path: { key: recipe.key } }, body: { publish } })),
    onSuccess: async () => {
      await Promise.all(["recipes", "workflows", "workflow"].map((k) => queryClient.invalidateQueries({ queryKey: [k] })));
    },
  });
  const def = recipe.definition as WorkflowDefinition;
  const installed = recipe.installed;
  const failed = install.error ? refusal(install.error) : undefined;

  return (
    <article className={styles.card} aria-labelledby={titleId}>
      <h2 id={titleId}>{recipe.name}</h2>
      <p>{recipe.description}</p>
      <div>
        <h3>Triggers on</h3>
        <p>{triggerWords(def.trigger, def.object)}</p>
      </div>
      <div>
        <h3>Needs</h3>
        {recipe.connectors.length === 0 ? (
          <p>Nothing beyond Handoff itself.</p>
        ) : (
          <ul className={styles.needs}>
            {recipe.connectors.map((c) => (
              <li key={c.key}>
                {CONNECTOR_KIND_WORDS[c.kind] ?? `a ${c.kind} connector`}: the connector “{c.key}”{" "}
                {c.state === "present" ? (
                  <span className={styles.present}>— set up</span>
                ) : (
                  <span className={styles.missing}>— {c.state === "absent" ? "missing" : `is not ${c.kind}`}</span>
                )}
              </li>
            ))}
          </ul>
        )}
        {!recipe.publishable ? (
          <p className={styles.muted}>
            It cannot be published here until then; an admin adds connectors with <code>handoff connector set</code> or the connectors API.
          </p>
        ) : null}
      </div>
      <div>
        <h3>Installed</h3>
        {installed ? (
          <p>
            <StatusBadge status={installed.status} />{" "}
            <Link to="/workflows/$id" params={{ id: installed.workflow_id }}>
              Open the workflow
            </Link>
            {installed.live_version !== null ? ` (v${installed.live_version} live)` : ""}
          </p>
        ) : (
          <p>Not yet.</p>
        )}
      </div>
      {install.isSuccess ? (
        <p role="status" className={styles.success}>
          {install.variables ? "Installed and published." : "Installed as a draft."}
        </p>
      ) : null}
      {failed ? (
        <div role="alert" className={ui.alert}>
          <strong>{install.variables ? "Not published." : "Not installed."}</strong> {failed.detail}
          {failed.problems.length > 0 ? (
            <ul className={styles.needs}>
              {failed.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {canInstall && installed?.status === "published" ? (
        <p className={styles.muted}>It is running. To install the recipe again, archive its workflow first.</p>
      ) : null}
      {canInstall && installed?.status !== "published" ? (
        <div className={styles.actions}>
          {/* A draft is already installed: publishing it is what is left (the API refuses a second draft). */}
          {installed?.status === "draft" ? null : (
            <button
              type="button"
              className={ui.secondary}
              disabled={install.isPending}
              onClick={() => install.mutate(false)}
              aria-describedby={titleId}
            >
              Install as draft
            </button>
          )}
          <button
            type="button"
            className={ui.button}
            disabled={install.isPending}
            onClick={() => install.mutate(true)}
            aria-describedby={titleId}
          >
            {install.isPending ? "Installing…" : "Install and publish"}
          </button>
        </div>
      ) : null}
    </article>
  );
}
