/**
 * Making an AI model (admins; docs/ai.md): its name, the object, the field it predicts (a text or
 * choice field), the text fields whose words it reads and the fields whose values it reads, and
 * the low-confidence threshold. The server checks it all; its problems are shown by field.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { ApiError } from "../../api/client";
import { ui } from "../../components/ui";
import { objectsQuery } from "../../records/model";
import styles from "./Ai.module.css";
import { type AiModel, aiModelsQuery, createModel } from "./data";

const OBJECTS: ReadonlyArray<AiModel["object"]> = ["ticket", "lead", "deal", "contact", "company"];
const TARGET_TYPES = new Set(["string", "enum"]);
const TEXT_TYPES = new Set(["string", "text"]);
const VALUE_TYPES = new Set(["string", "enum", "boolean", "integer", "number"]);

export function NewModelForm() {
  const objects = useQuery(objectsQuery);
  const client = useQueryClient();
  const [name, setName] = useState("");
  const [object, setObject] = useState<AiModel["object"]>("ticket");
  const [target, setTarget] = useState("category");
  const [textFields, setTextFields] = useState<string[]>(["subject", "description"]);
  const [valueFields, setValueFields] = useState<string[]>([]);
  const [threshold, setThreshold] = useState("0.6");
  const make = useMutation({
    mutationFn: () =>
      createModel({
        name,
        description: "",
        object,
        target,
        text_fields: textFields,
        value_fields: valueFields,
        threshold: Number(threshold),
      }),
    onSuccess: () => {
      setName("");
      void client.invalidateQueries({ queryKey: aiModelsQuery.queryKey });
    },
  });
  const id = useId();
  const fields = (objects.data?.find((o) => o.name === object)?.fields ?? []).filter((f) => !f.managed);
  const problems =
    make.error instanceof ApiError ? ((make.error.problem as { errors?: Array<{ path: string; message: string }> })?.errors ?? []) : [];
  const problemAt = (path: string) => problems.find((p) => p.path === path || p.path.startsWith(`${path}[`))?.message;
  const toggle = (list: string[], set: (l: string[]) => void, f: string) =>
    set(list.includes(f) ? list.filter((x) => x !== f) : [...list, f]);
  return (
    <form
      className={styles.card}
      aria-labelledby={`${id}-title`}
      // The server's problems are shown by the field (one voice for the page, the API and the CLI).
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        make.mutate();
      }}
    >
      <h2 id={`${id}-title`}>New model</h2>
      <div className={styles.row}>
        <label className={styles.label} htmlFor={`${id}-name`}>
          Name
          <input
            id={`${id}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={problemAt("name") ? true : undefined}
          />
        </label>
        <label className={styles.label} htmlFor={`${id}-object`}>
          Learns from
          <select
            id={`${id}-object`}
            value={object}
            onChange={(e) => {
              setObject(e.target.value as AiModel["object"]);
              setTarget("");
              setTextFields([]);
              setValueFields([]);
            }}
          >
            {OBJECTS.map((o) => (
              <option key={o} value={o}>
                {objects.data?.find((x) => x.name === o)?.label ?? o}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.label} htmlFor={`${id}-target`}>
          Predicts
          <select
            id={`${id}-target`}
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            aria-invalid={problemAt("target") ? true : undefined}
          >
            <option value="">Choose a field</option>
            {fields
              .filter((f) => TARGET_TYPES.has(f.type))
              .map((f) => (
                <option key={f.name} value={f.name}>
                  {f.label}
                </option>
              ))}
          </select>
        </label>
        <label className={styles.label} htmlFor={`${id}-threshold`}>
          Low confidence under
          <input
            id={`${id}-threshold`}
            type="number"
            min={0}
            max={1}
            step={0.05}
            value={threshold}
            onChange={(e) => setThreshold(e.target.value)}
            aria-invalid={problemAt("threshold") ? true : undefined}
          />
        </label>
      </div>
      <fieldset className={styles.checks}>
        <legend>Reads the words of</legend>
        {fields
          .filter((f) => TEXT_TYPES.has(f.type) && f.name !== target)
          .map((f) => (
            <label key={f.name}>
              <input type="checkbox" checked={textFields.includes(f.name)} onChange={() => toggle(textFields, setTextFields, f.name)} />{" "}
              {f.label}
            </label>
          ))}
      </fieldset>
      <fieldset className={styles.checks}>
        <legend>Reads the values of</legend>
        {fields
          .filter((f) => VALUE_TYPES.has(f.type) && f.name !== target && !textFields.includes(f.name))
          .map((f) => (
            <label key={f.name}>
              <input type="checkbox" checked={valueFields.includes(f.name)} onChange={() => toggle(valueFields, setValueFields, f.name)} />{" "}
              {f.label}
            </label>
          ))}
      </fieldset>
      {make.error ? (
        <div role="alert" className={styles.bad}>
          Could not make the model:{" "}
          {problems.length > 0 ? (
            <ul>
              {problems.map((p) => (
                <li key={`${p.path}:${p.message}`}>
                  {p.path}: {p.message}
                </li>
              ))}
            </ul>
          ) : (
            make.error.message
          )}
        </div>
      ) : null}
      <div>
        <button type="submit" className={ui.button} disabled={make.isPending}>
          {make.isPending ? "Making…" : "Make model"}
        </button>
      </div>
    </form>
  );
}
