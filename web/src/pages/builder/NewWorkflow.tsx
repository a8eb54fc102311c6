/**
 * /workflows/new: a small form to start a workflow — its name, its key (derived from the name,
 * editable until it is saved), its object, its trigger in words and why it exists. Saving makes
 * the first draft (the trigger and an end step) and opens it in the builder. A key that is taken
 * or that the server refuses is shown next to the key; every other refusal next to its field.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useId, useState } from "react";
import { ApiError, api, unwrap } from "../../api/client";
import { RoleGate } from "../../components/RoleGate";
import { Field, PageHeader, ui } from "../../components/ui";
import { objectsQuery } from "../../records/model";
import { workflowsQuery } from "../Workflows";
import styles from "./builder.module.css";
import { firstDraft, KEY_RULE, keyFromName, keyProblem, NEW_TRIGGERS, type NewTrigger, newTriggerWords } from "./new-workflow";

type FieldName = "name" | "key" | "object" | "trigger" | "description";

export function NewWorkflow() {
  return (
    <RoleGate roles={["admin", "manager"]} who="admins and managers" title="New workflow">
      <NewWorkflowForm />
    </RoleGate>
  );
}

function NewWorkflowForm() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const objects = useQuery(objectsQuery);
  const existing = useQuery(workflowsQuery);
  const ids = { object: useId(), trigger: useId(), description: useId() };
  const [name, setName] = useState("");
  const [key, setKey] = useState("");
  /** Once the key is typed by hand, the name no longer changes it. */
  const [keyTouched, setKeyTouched] = useState(false);
  const [object, setObject] = useState("lead");
  const [trigger, setTrigger] = useState<NewTrigger>("record_created");
  const [description, setDescription] = useState("");
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [other, setOther] = useState<string | undefined>();

  const save = useMutation({
    // `create`: the key must be new (409 otherwise), so that this never replaces another workflow's draft.
    mutationFn: async () =>
      unwrap(
        await api.POST("/api/v1/workflows", {
          body: { definition: firstDraft({ key, name, description, object, trigger }), create: true },
        }),
      ) as { id: string },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ["workflows"] });
      void navigate({ to: "/workflows/$id/edit", params: { id: saved.id } });
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status === 409) {
        setErrors({ key: `A workflow with this key exists already (${e.problem?.errors?.[0]?.message ?? "taken"}): choose another key.` });
        document.getElementById("new-key")?.focus();
        return;
      }
      const named = e instanceof ApiError ? (e.problem?.errors ?? []) : [];
      const byField: Partial<Record<FieldName, string>> = {};
      const rest: string[] = [];
      for (const p of named) {
        // The server names fields inside the body's definition ("definition.key") or of the definition itself ("key").
        const head = p.path.replace(/^definition\./, "").split(".")[0] as FieldName;
        if (["name", "key", "object", "trigger", "description"].includes(head)) byField[head] = p.message;
        else rest.push(`${p.path}: ${p.message}`);
      }
      setErrors(byField);
      setOther(rest.length > 0 || named.length === 0 ? [e.message, ...rest].join(" — ") : undefined);
    },
  });

  const onName = (value: string) => {
    setName(value);
    if (!keyTouched) setKey(keyFromName(value));
  };

  const submit = () => {
    const found: Partial<Record<FieldName, string>> = {};
    if (name.trim() === "") found.name = "Give the workflow a name people will recognise in lists.";
    const kp = keyProblem(key);
    if (kp) found.key = kp;
    else if (existing.data?.some((w) => w.key === key)) found.key = "A workflow with this key exists already: choose another key.";
    setErrors(found);
    setOther(undefined);
    if (Object.keys(found).length > 0) {
      document.getElementById(found.name ? "new-name" : "new-key")?.focus();
      return;
    }
    save.mutate();
  };

  return (
    <>
      <PageHeader title="New workflow">Name it and say what starts it; the steps are added in the builder next.</PageHeader>
      <form
        className={styles.newForm}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Field id="new-name" label="Name" value={name} error={errors.name} onChange={(e) => onName(e.target.value)} maxLength={200} />
        <Field
          id="new-key"
          label="Key"
          hint={`How the API and the CLI name it: ${KEY_RULE}. It cannot change once saved.`}
          value={key}
          error={errors.key}
          spellCheck={false}
          onChange={(e) => {
            setKeyTouched(true);
            setKey(e.target.value);
            setErrors((x) => ({ ...x, key: e.target.value === "" ? undefined : keyProblem(e.target.value) }));
          }}
        />
        <div className={ui.field}>
          <label htmlFor={ids.object} className={ui.label}>
            Object
          </label>
          <span id={`${ids.object}-hint`} className={ui.hint}>
            The kind of record that goes through it.
          </span>
          <select
            id={ids.object}
            className={styles.select}
            value={object}
            aria-describedby={`${ids.object}-hint${errors.object ? ` ${ids.object}-error` : ""}`}
            aria-invalid={errors.object ? true : undefined}
            onChange={(e) => setObject(e.target.value)}
          >
            {(objects.data ?? [{ name: "lead", label: "Lead" }]).map((o) => (
              <option key={o.name} value={o.name}>
                {o.label}
              </option>
            ))}
          </select>
          {errors.object ? (
            <span id={`${ids.object}-error`} className={ui.fieldError}>
              {errors.object}
            </span>
          ) : null}
        </div>
        <div className={ui.field}>
          <label htmlFor={ids.trigger} className={ui.label}>
            What starts it
          </label>
          <span id={`${ids.trigger}-hint`} className={ui.hint}>
            Other triggers — a field changing, a date coming up, no activity for a while, a score crossing a threshold, a schedule, an
            outside event, an SLA warning, breach or escalation — are set in the builder's trigger settings.
          </span>
          <select
            id={ids.trigger}
            className={styles.select}
            value={trigger}
            aria-describedby={`${ids.trigger}-hint${errors.trigger ? ` ${ids.trigger}-error` : ""}`}
            aria-invalid={errors.trigger ? true : undefined}
            onChange={(e) => setTrigger(e.target.value as NewTrigger)}
          >
            {NEW_TRIGGERS.map((t) => (
              <option key={t} value={t}>
                {newTriggerWords(t, object)}
              </option>
            ))}
          </select>
          {errors.trigger ? (
            <span id={`${ids.trigger}-error`} className={ui.fieldError}>
              {errors.trigger}
            </span>
          ) : null}
        </div>
        <div className={ui.field}>
          <label htmlFor={ids.description} className={ui.label}>
            Why it exists
          </label>
          <span id={`${ids.description}-hint`} className={ui.hint}>
            Needed to publish: the business reason, for whoever reviews it next quarter, e.g. “Leads called within 5 minutes convert far
            better.”
          </span>
          <textarea
            id={ids.description}
            className={styles.textarea}
            value={description}
            maxLength={5000}
            aria-describedby={`${ids.description}-hint${errors.description ? ` ${ids.description}-error` : ""}`}
            aria-invalid={errors.description ? true : undefined}
            onChange={(e) => setDescription(e.target.value)}
          />
          {errors.description ? (
            <span id={`${ids.description}-error`} className={ui.fieldError}>
              {errors.description}
            </span>
          ) : null}
        </div>
        {other ? (
          <div role="alert" className={ui.alert}>
            <strong>Not saved.</strong> {other}
          </div>
        ) : null}
        <div className={styles.dialogButtons}>
          <Link to="/workflows" className={ui.secondary}>
            Cancel
          </Link>
          <button type="submit" className={ui.button} disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save and open the builder"}
          </button>
        </div>
      </form>
    </>
  );
}
