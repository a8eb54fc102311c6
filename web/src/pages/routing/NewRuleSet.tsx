/**
 * /routing/rule-sets/new (admins and managers): a rule set's name, the kind of record it routes,
 * the person field it fills (owner by default), where a record goes when no rule matches, and why
 * it exists. Saving creates it with no rules and opens it, where rules are added. A name that is
 * taken (409) or any other refusal is shown next to the field it names, with what was typed kept.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { RoleGate } from "../../components/RoleGate";
import { ErrorMessage, Field, PageHeader, ui } from "../../components/ui";
import { type ObjectInfo, objectsQuery } from "../../records/model";
import { problemsOf, ruleSetQuery, type Target } from "./data";
import { FieldError } from "./FieldError";
import styles from "./Routing.module.css";
import edit from "./RuleEdit.module.css";
import { TargetPicker, targetMissing } from "./TargetPicker";

/** The fields of an object that hold a person: what a rule set can fill. */
const personFields = (o: ObjectInfo | undefined) =>
  (o?.fields ?? []).filter((f) => f.type === "reference" && (f.references ?? []).includes("user") && !f.managed);

export function NewRuleSet() {
  return (
    <RoleGate roles={["admin", "manager"]} who="admins and managers" title="New rule set">
      <NewRuleSetForm />
    </RoleGate>
  );
}

function NewRuleSetForm() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const objects = useQuery(objectsQuery);
  const [name, setName] = useState("");
  const [object, setObject] = useState("lead");
  const [field, setField] = useState("owner_id");
  const [target, setTarget] = useState<Target | null>(null);
  const [description, setDescription] = useState("");
  const [local, setLocal] = useState<{ name?: string; target?: string }>({});
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/api/v1/routing/rule-sets", {
          body: { name: name.trim(), object: object as "lead", field, description, default_target: target, rules: [] },
        }),
      ),
    onSuccess: (created) => {
      queryClient.setQueryData(ruleSetQuery(created.id).queryKey, created);
      void queryClient.invalidateQueries({ queryKey: ["routing", "rule-sets"] });
      void navigate({ to: "/routing/rule-sets/$id", params: { id: created.id } });
    },
  });

  if (objects.error) return <ErrorMessage error={objects.error} what="the objects and their fields" />;
  if (!objects.data) return <p aria-live="polite">Loading the objects…</p>;
  const routable = objects.data.filter((o) => personFields(o).length > 0);
  const fields = personFields(routable.find((o) => o.name === object));
  const problems = problemsOf(save.error);
  const errors = {
    name: local.name ?? problems?.at("name"),
    object: problems?.at("object"),
    field: problems?.at("field"),
    description: problems?.at("description"),
    target: local.target ?? problems?.at("default_target"),
  };
  const claimed = Object.values(errors).some(Boolean);

  return (
    <div className={styles.page}>
      <PageHeader title="New rule set">
        Name it and choose which records it routes. You add its rules next; until then every record goes where "When no rule matches" says.
      </PageHeader>
      <form
        className={`${styles.card} ${edit.settingsForm}`}
        aria-label="New rule set"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const found = {
            ...(name.trim() === "" ? { name: "Give the rule set a name people will recognise, e.g. “Inbound leads”." } : {}),
            ...(targetMissing(target) ? { target: targetMissing(target) } : {}),
          };
          setLocal(found);
          if (Object.keys(found).length === 0) save.mutate();
          else document.getElementById(found.name ? "new-rule-set-name" : "new-default-target")?.focus();
        }}
      >
        <Field
          id="new-rule-set-name"
          label="Name"
          value={name}
          maxLength={120}
          error={errors.name}
          onChange={(e) => setName(e.target.value)}
        />
        <div className={ui.field}>
          <label htmlFor="new-rule-set-object" className={ui.label}>
            Records it routes
          </label>
          <select
            id="new-rule-set-object"
            className={styles.select}
            value={object}
            onChange={(e) => {
              setObject(e.target.value);
              const next = personFields(routable.find((o) => o.name === e.target.value));
              setField(next.find((f) => f.name === "owner_id")?.name ?? next[0]?.name ?? "owner_id");
            }}
            aria-invalid={errors.object ? true : undefined}
            aria-describedby={errors.object ? "new-rule-set-object-error" : undefined}
          >
            {routable.map((o) => (
              <option key={o.name} value={o.name}>
                {o.label}
              </option>
            ))}
          </select>
          <FieldError id="new-rule-set-object" message={errors.object} />
        </div>
        <div className={ui.field}>
          <label htmlFor="new-rule-set-field" className={ui.label}>
            Field it fills
          </label>
          <span id="new-rule-set-field-hint" className={ui.hint}>
            The person field the chosen person is written to.
          </span>
          <select
            id="new-rule-set-field"
            className={styles.select}
            value={field}
            onChange={(e) => setField(e.target.value)}
            aria-invalid={errors.field ? true : undefined}
            aria-describedby={errors.field ? "new-rule-set-field-hint new-rule-set-field-error" : "new-rule-set-field-hint"}
          >
            {fields.map((f) => (
              <option key={f.name} value={f.name}>
                {f.label}
              </option>
            ))}
          </select>
          <FieldError id="new-rule-set-field" message={errors.field} />
        </div>
        <TargetPicker
          id="new-default-target"
          legend="When no rule matches"
          value={target}
          onChange={setTarget}
          none="Nobody: leave the record unassigned"
          error={errors.target}
        />
        <div className={ui.field}>
          <label htmlFor="new-rule-set-description" className={ui.label}>
            Description
          </label>
          <span id="new-rule-set-description-hint" className={ui.hint}>
            Why this rule set exists and who asked for it, for whoever reviews it next.
          </span>
          <textarea
            id="new-rule-set-description"
            className={edit.prose}
            value={description}
            maxLength={2000}
            onChange={(e) => setDescription(e.target.value)}
            aria-invalid={errors.description ? true : undefined}
            aria-describedby={
              errors.description ? "new-rule-set-description-hint new-rule-set-description-error" : "new-rule-set-description-hint"
            }
          />
          <FieldError id="new-rule-set-description" message={errors.description} />
        </div>
        {problems && !claimed ? (
          <p role="alert" className={styles.fieldError}>
            Not created: {problems.summary}
          </p>
        ) : null}
        <div className={styles.row}>
          <button type="submit" className={ui.button} disabled={save.isPending}>
            {save.isPending ? "Creating…" : "Create rule set"}
          </button>
          <Link to="/routing/rule-sets" className={ui.secondary}>
            Cancel
          </Link>
        </div>
      </form>
    </div>
  );
}
