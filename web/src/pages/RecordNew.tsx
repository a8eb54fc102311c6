/**
 * /records/$object/new: a new record of any object, through the form generated from its fields.
 * On save, the record's page; on refusal, the server's messages next to their fields.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams, useRouter } from "@tanstack/react-router";
import { PageHeader, ui } from "../components/ui";
import { createBody, editableFields, initialValues } from "../records/formValues";
import { findObject, objectsQuery } from "../records/model";
import { objectNotReady } from "../records/objectNotReady";
import { RecordForm } from "../records/RecordForm";
import { recordPath } from "../records/RecordLink";
import { createRecord } from "../records/recordsApi";

export function RecordNew() {
  const { object: plural } = useParams({ from: "/app/records/$object/new" });
  const objects = useQuery(objectsQuery);
  const router = useRouter();
  const queryClient = useQueryClient();
  const object = findObject(objects.data, plural);
  const notReady = objectNotReady(objects, object, plural);
  if (notReady || !object) return notReady;
  const fields = editableFields(object.fields);
  const noun = object.label.toLowerCase();
  return (
    <>
      <PageHeader title={`New ${noun}`}>
        Fill in what you know; Handoff fills the defaults and runs the workflows that watch new {object.plural}.
      </PageHeader>
      <RecordForm
        object={object}
        initial={initialValues(fields)}
        submitLabel={`Create ${noun}`}
        save={async (values) => {
          const created = await createRecord(object.plural, createBody(fields, values));
          await queryClient.invalidateQueries({ queryKey: ["records", object.plural] });
          await router.navigate({ href: recordPath(object.plural, created.id) });
        }}
        cancel={
          <Link to="/records/$object" params={{ object: object.plural }} className={ui.secondary}>
            Cancel
          </Link>
        }
      />
    </>
  );
}
