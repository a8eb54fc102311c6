/**
 * One scoring model: `/scoring/new` creates one (admins; RoleGate, the API refuses others) and
 * opens it; `/scoring/$key` shows the latest version in the editor — admins change it, preview the
 * scores and publish a new version, then watch the rescore; everyone else reads it with every
 * control disabled — with its switch, its versions and, for admins, deletion.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams, useRouteContext } from "@tanstack/react-router";
import { useState } from "react";
import { RoleGate } from "../../components/RoleGate";
import { when } from "../../components/time";
import { ErrorMessage, PageHeader, ui } from "../../components/ui";
import { objectsQuery } from "../../records/model";
import { fetchUsers } from "../record/data";
import { createModel, deleteModel, type ModelDetail, mayEditScoring, modelQuery, publishVersion } from "./data";
import { draftOf, emptyModel } from "./draft";
import { ModelForm } from "./ModelForm";
import { EnabledSwitch } from "./Models";
import { RescoreProgress } from "./RescoreProgress";
import { type Source, sourcesQuery } from "./sources";
import { styles } from "./styles";
import { decayWords, fieldsWords } from "./words";

export function NewModel() {
  return (
    <RoleGate roles={["admin"]} who="admins" title="New scoring model">
      <NewModelForm />
    </RoleGate>
  );
}

const NO_SOURCES: Source[] = [];

function NewModelForm() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const objects = useQuery(objectsQuery);
  const sources = useQuery(sourcesQuery);
  if (objects.error) return <ErrorMessage error={objects.error} what="the objects and their fields" />;
  return (
    <div className={styles.page}>
      <PageHeader title="New scoring model">
        Say which records it scores and which fields it writes, then give points for fit and engagement. Preview the scores on your existing
        records before publishing.
      </PageHeader>
      {objects.data ? (
        <ModelForm
          initial={emptyModel()}
          model={undefined}
          objects={objects.data}
          sources={sources.data ?? NO_SOURCES}
          editable
          publish={createModel}
          publishLabel="Create and publish version 1"
          onPublished={async (created) => {
            await queryClient.invalidateQueries({ queryKey: ["scoring", "models"] });
            await navigate({ to: "/scoring/$key", params: { key: created.key } });
          }}
        />
      ) : (
        <p aria-live="polite">Loading the objects and their fields…</p>
      )}
    </div>
  );
}

export function ModelPage() {
  const { key } = useParams({ from: "/app/scoring/$key" });
  const { session } = useRouteContext({ from: "/app" });
  const admin = mayEditScoring(session.user.role);
  const model = useQuery(modelQuery(key));
  const objects = useQuery(objectsQuery);
  const sources = useQuery({ ...sourcesQuery, enabled: admin });
  const queryClient = useQueryClient();
  // The editor starts again from each newly published version.
  const error = model.error ?? objects.error;
  if (error) return <ErrorMessage error={error} what="this scoring model" />;
  if (!model.data || !objects.data) return <p aria-live="polite">Loading the model…</p>;
  const m = model.data;
  const object = objects.data.find((o) => o.name === m.object);
  return (
    <div className={styles.page}>
      <PageHeader title={`Scoring model: ${m.name}`}>
        Scores {object?.label.toLowerCase() ?? m.object}s into {fieldsWords(m.definition.fields, object)}. Version {m.version}
        {m.enabled ? ", switched on." : ", switched off: scores are not updated."} {decayWords(m.definition.engagement?.decay)}
      </PageHeader>
      <div className={styles.row}>
        {admin ? <EnabledSwitch model={m} /> : <span>{m.enabled ? "Switched on" : "Switched off"}</span>}
        <Link to="/scoring">All scoring models</Link>
      </div>
      {admin ? null : <p className={styles.muted}>Only admins change scoring models; you can read this one here.</p>}
      <RescoreProgress modelKey={m.key} />
      <ModelForm
        key={`${m.key}:${m.version}`}
        initial={draftOf(m.definition)}
        model={m}
        objects={objects.data}
        sources={sources.data ?? NO_SOURCES}
        editable={admin}
        publish={(definition, note) => publishVersion(m.key, definition, note)}
        publishLabel={`Publish version ${m.version + 1}`}
        onPublished={async () => {
          await queryClient.invalidateQueries({ queryKey: ["scoring", "models"] });
        }}
      />
      <Versions model={m} />
      {admin ? (
        <section className={styles.card} aria-labelledby="delete-heading">
          <h2 id="delete-heading">Delete this model</h2>
          <p className={styles.muted}>
            Its fields keep their last values, but nothing updates them any more and the ledger of its scores is removed. To stop it for a
            while, switch it off instead.
          </p>
          <div>
            <DeleteModel model={m} />
          </div>
        </section>
      ) : null}
    </div>
  );
}

function Versions({ model }: { model: ModelDetail }) {
  // The API names who published by user id: their names, read like the record page's timeline does.
  const ids = [...new Set(model.versions.flatMap((v) => (v.published_by ? [v.published_by] : [])))].sort();
  const users = useQuery({ queryKey: ["users", "by-id", ids], queryFn: () => fetchUsers(ids) });
  const byWhom = (id: string | null) => (id ? ((users.data?.get(id)?.name as string | undefined) ?? "someone") : "—");
  return (
    <section className={styles.card} aria-labelledby="versions-heading">
      <h2 id="versions-heading">Versions</h2>
      <p className={styles.muted}>Every score in a record's ledger names the version that gave it.</p>
      <table className={ui.table} aria-label="Versions">
        <thead>
          <tr>
            <th scope="col" className={styles.numeric}>
              Version
            </th>
            <th scope="col">Published</th>
            <th scope="col">By</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {[...model.versions]
            .sort((a, b) => b.version - a.version)
            .map((v) => (
              <tr key={v.version}>
                <td className={styles.numeric}>
                  {v.version}
                  {v.version === model.version ? <span className={styles.current}> current</span> : null}
                </td>
                <td>{when(v.published_at)}</td>
                <td>{byWhom(v.published_by)}</td>
                <td>{v.note || <span className={styles.muted}>no note</span>}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  );
}

function DeleteModel({ model }: { model: ModelDetail }) {
  const [sure, setSure] = useState(false);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const del = useMutation({
    mutationFn: () => deleteModel(model.key),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: ["scoring", "models", model.key] });
      await queryClient.invalidateQueries({ queryKey: ["scoring", "models"] });
      await navigate({ to: "/scoring" });
    },
  });
  return (
    <div className={styles.row}>
      {sure ? (
        <>
          <button type="button" className={styles.dangerButton} disabled={del.isPending} onClick={() => del.mutate()}>
            Yes, delete “{model.name}”
          </button>
          <button type="button" className={ui.secondary} onClick={() => setSure(false)}>
            Keep it
          </button>
        </>
      ) : (
        <button type="button" className={styles.dangerButton} onClick={() => setSure(true)}>
          Delete model
        </button>
      )}
      {del.error ? (
        <span role="alert" className={styles.error}>
          Not deleted: {del.error.message}.
        </span>
      ) : null}
    </div>
  );
}
