/**
 * /scoring: the workspace's scoring models — name (a link to the model), the records it scores,
 * its published version, whether it is switched on, the fields it writes, and its latest rescore
 * (progress while it runs). Every signed-in role reads it; admins also get New model and the
 * on/off switches (the API refuses the writes to other roles).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useRouteContext } from "@tanstack/react-router";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../../components/ui";
import { objectsQuery } from "../../records/model";
import { type ModelSummary, mayEditScoring, modelsQuery, rescoreRunning, setEnabled } from "./data";
import { RescoreLine } from "./RescoreProgress";
import { styles } from "./styles";
import { fieldsWords } from "./words";

export function Models() {
  const { session } = useRouteContext({ from: "/app" });
  const admin = mayEditScoring(session.user.role);
  const models = useQuery({
    ...modelsQuery,
    refetchInterval: (q) => (q.state.data?.some((m) => rescoreRunning(m.rescore)) ? 1_000 : false),
  });
  const objects = useQuery(objectsQuery);
  const objectOf = (name: string) => objects.data?.find((o) => o.name === name);
  const newModel = admin ? (
    <div>
      <Link to="/scoring/new" className={ui.button}>
        New model
      </Link>
    </div>
  ) : null;
  return (
    <div className={styles.page}>
      <PageHeader title="Scoring">
        Scoring models give records points for who they are (fit: industry, size, title…) and what they do (engagement: forms, emails
        opened, meetings), and write the score into fields that workflows and lists use. Every change of a score is kept with its reason.
      </PageHeader>
      {admin ? null : <p className={styles.muted}>Only admins change scoring models; you can read them here.</p>}
      {models.error ? <ErrorMessage error={models.error} what="the scoring models" /> : null}
      {models.isPending ? <p aria-live="polite">Loading the scoring models…</p> : null}
      {models.data?.length === 0 ? (
        <EmptyState title="No scoring models yet">
          A scoring model turns “is this lead worth a call?” into a number: points for a good fit (a large company in your industry) and for
          engagement (a demo form, opened emails, a meeting), which fade over time. Workflows can act when a score crosses a threshold.
          {admin ? null : " An admin of your workspace creates them."}
        </EmptyState>
      ) : null}
      {newModel}
      {models.data && models.data.length > 0 ? (
        <table className={ui.table} aria-label="Scoring models">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Records</th>
              <th scope="col" className={styles.numeric}>
                Version
              </th>
              <th scope="col">Switched on</th>
              <th scope="col">Writes</th>
              <th scope="col">Latest rescore</th>
            </tr>
          </thead>
          <tbody>
            {models.data.map((m) => (
              <tr key={m.key}>
                <td>
                  <Link to="/scoring/$key" params={{ key: m.key }}>
                    {m.name}
                  </Link>
                </td>
                <td>{objectOf(m.object)?.label ?? m.object}</td>
                <td className={styles.numeric}>{m.version}</td>
                <td>{admin ? <EnabledSwitch model={m} /> : m.enabled ? "On" : "Off"}</td>
                <td>{fieldsWords(m.fields, objectOf(m.object))}</td>
                <td>{m.rescore ? <RescoreLine rescore={m.rescore} /> : <span className={styles.muted}>none yet</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

/** On / off for admins: a PATCH of `enabled`; switching a model on rescores its records. */
export function EnabledSwitch({ model }: { model: Pick<ModelSummary, "key" | "name" | "enabled"> }) {
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: () => setEnabled(model.key, !model.enabled),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["scoring", "models"] }),
  });
  return (
    <>
      <button
        type="button"
        role="switch"
        aria-checked={model.enabled}
        aria-label={`${model.name} switched on`}
        className={styles.switch}
        disabled={toggle.isPending}
        onClick={() => toggle.mutate()}
      >
        <span className={styles.track} aria-hidden="true" />
        <span aria-hidden="true">{model.enabled ? "On" : "Off"}</span>
      </button>
      {toggle.error ? (
        <span role="alert" className={styles.error}>
          Not switched: {toggle.error.message}.
        </span>
      ) : null}
    </>
  );
}
