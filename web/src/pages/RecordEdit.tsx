/**
 * /records/$object/$id/edit: the form for one record, loaded with its version. The save is a
 * PATCH of what changed with `If-Match: "<version loaded>"`; if someone else saved in between
 * (412), nothing is written, the page says so, lists what this person changed (so nothing they
 * typed disappears unseen) and offers to reload the other version before editing again.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams, useRouter } from "@tanstack/react-router";
import { useState } from "react";
import { ApiError } from "../api/client";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../components/ui";
import { editableFields, type FormValues, initialValues, patchBody } from "../records/formValues";
import { findObject, objectsQuery, recordTitle } from "../records/model";
import { objectNotReady } from "../records/objectNotReady";
import { RecordForm } from "../records/RecordForm";
import { recordPath } from "../records/RecordLink";
import styles from "../records/records.module.css";
import { getRecord, updateRecord } from "../records/recordsApi";

interface Conflict {
  /** field label → what this person had typed */
  yours: [string, string][];
}

export function RecordEdit() {
  const { object: plural, id } = useParams({ from: "/app/records/$object/$id/edit" });
  const objects = useQuery(objectsQuery);
  const object = findObject(objects.data, plural);
  const router = useRouter();
  const queryClient = useQueryClient();
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [reloading, setReloading] = useState(false);
  const record = useQuery({
    queryKey: ["record", plural, id],
    queryFn: () => getRecord(plural, id),
    enabled: !!object,
    // The version loaded is the one the edit is based on: never swap it behind the person's back.
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
  const notReady = objectNotReady(objects, object, plural);
  if (notReady || !object) return notReady;
  const noun = object.label.toLowerCase();
  if (record.error) {
    if (record.error instanceof ApiError && record.error.status === 404) {
      return (
        <>
          <PageHeader title={`Edit ${noun}`} />
          <EmptyState title={`No ${noun} with this id`}>
            It was deleted, or your role does not show it. Go back to the{" "}
            <Link to="/records/$object" params={{ object: object.plural }}>
              list of {object.plural}
            </Link>
            .
          </EmptyState>
        </>
      );
    }
    return <ErrorMessage error={record.error} what={`the ${noun}`} />;
  }
  if (!record.data) return <p aria-live="polite">Loading the {noun}…</p>;
  const loadedRecord = record.data;
  const fields = editableFields(object.fields);
  const loaded = initialValues(fields, loadedRecord);

  const onRefused = (error: unknown, values: FormValues) => {
    if (!(error instanceof ApiError && error.status === 412)) return false;
    const yours = fields
      .filter((f) => (values[f.name] ?? "") !== (loaded[f.name] ?? ""))
      .map((f): [string, string] => [f.label, values[f.name] === "" ? "(emptied)" : (values[f.name] ?? "")]);
    setConflict({ yours });
    return true;
  };
  const reload = async () => {
    setReloading(true);
    try {
      await queryClient.fetchQuery({ queryKey: ["record", plural, id], queryFn: () => getRecord(plural, id), staleTime: 0 });
      setConflict(null);
    } finally {
      setReloading(false);
    }
  };

  const notice = conflict ? (
    <div role="alert" className={`${ui.alert} ${styles.summary}`}>
      <strong>Someone else changed this record since you opened it.</strong>
      <p>Nothing was saved. Reload their version, then make your changes again on top of it.</p>
      {conflict.yours.length > 0 ? (
        <>
          <p>What you had changed (copy anything you want to keep):</p>
          <ul>
            {conflict.yours.map(([label, value]) => (
              <li key={label}>
                {label}: <code>{value}</code>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <button type="button" className={ui.button} onClick={reload} disabled={reloading}>
        {reloading ? "Reloading…" : "Reload their version"}
      </button>
    </div>
  ) : null;

  return (
    <>
      <PageHeader title={`Edit ${noun}: ${recordTitle(object, loadedRecord)}`}>
        Version {loadedRecord.version}, last changed {new Date(loadedRecord.updated_at).toLocaleString()}.
      </PageHeader>
      <RecordForm
        key={loadedRecord.version}
        object={object}
        initial={loaded}
        submitLabel="Save changes"
        notice={notice}
        scoredReadOnly
        onRefused={onRefused}
        save={async (values) => {
          const updated = await updateRecord(object.plural, id, loadedRecord.version, patchBody(fields, values, loaded));
          queryClient.setQueryData(["record", plural, id], updated);
          await queryClient.invalidateQueries({ queryKey: ["records", object.plural] });
          await router.navigate({ href: recordPath(object.plural, id) });
        }}
        cancel={
          <a className={ui.secondary} href={recordPath(object.plural, id)}>
            Cancel
          </a>
        }
      />
    </>
  );
}
