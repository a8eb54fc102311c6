/**
 * Making an AI model (admins; docs/ai.md). First what it learns: a field's value (a classifier:
 * the field it predicts, a text or choice field) or the chance a record converts (a conversion
 * model: a choice field, its values that mean converted and those that mean lost, and the
 * activity types it counts — ConversionFields.tsx). Then the text fields whose words it reads,
 * the fields whose values it reads, and the threshold. The server checks it all; its problems
 * are shown by the box they name and listed together.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { ApiError } from "../../api/client";
import { ui } from "../../components/ui";
import { objectsQuery } from "../../records/model";
import styles from "./Ai.module.css";
import { Box, BoxProblem, describedBy, type ModelProblem, problemFinder } from "./box";
import { ConversionFields } from "./ConversionFields";
import { type ActivityType, type AiModel, type AiModelKind, aiModelsQuery, createModel } from "./data";

const OBJECTS: ReadonlyArray<AiModel["object"]> = ["ticket", "lead", "deal", "contact", "company"];
/** What each kind may predict: a classifier a text or choice field; a conversion model a choice field (its values are the outcomes). */
const TARGET_TYPES: Record<AiModelKind, ReadonlySet<string>> = {
  classifier: new Set(["string", "enum"]),
  conversion: new Set(["enum"]),
};
const TEXT_TYPES = new Set(["string", "text"]);
const VALUE_TYPES = new Set(["string", "enum", "boolean", "integer", "number"]);

/** Where each kind starts: the demo's typical use (a ticket's category; a lead's status), and its threshold. */
const START: Record<AiModelKind, { object: AiModel["object"]; target: string; text: string[]; threshold: string }> = {
  classifier: { object: "ticket", target: "category", text: ["subject", "description"], threshold: "0.6" },
  conversion: { object: "lead", target: "status", text: [], threshold: "0.5" },
};

export function NewModelForm() {
  const objects = useQuery(objectsQuery);
  const client = useQueryClient();
  const [kind, setKind] = useState<AiModelKind>("classifier");
  const [name, setName] = useState("");
  const [object, setObject] = useState<AiModel["object"]>(START.classifier.object);
  const [target, setTarget] = useState(START.classifier.target);
  const [textFields, setTextFields] = useState<string[]>(START.classifier.text);
  const [valueFields, setValueFields] = useState<string[]>([]);
  const [converted, setConverted] = useState<string[]>([]);
  const [lost, setLost] = useState<string[]>([]);
  const [activityTypes, setActivityTypes] = useState<ActivityType[]>([]);
  const [threshold, setThreshold] = useState(START.classifier.threshold);
  const conversion = kind === "conversion";
  const make = useMutation({
    mutationFn: () =>
      createModel({
        kind,
        name,
        description: "",
        object,
        target,
        text_fields: textFields,
        value_fields: valueFields,
        converted: conversion ? converted : [],
        lost: conversion ? lost : [],
        activity_types: conversion ? activityTypes : [],
        threshold: Number(threshold),
      }),
    onSuccess: () => {
      setName("");
      void client.invalidateQueries({ queryKey: aiModelsQuery.queryKey });
    },
  });
  const id = useId();
  const fields = (objects.data?.find((o) => o.name === object)?.fields ?? []).filter((f) => !f.managed);
  const activityOptions = (objects.data?.find((o) => o.name === "activity")?.fields.find((f) => f.name === "type")?.options ??
    []) as ActivityType[];
  const problems: ModelProblem[] =
    make.error instanceof ApiError ? ((make.error.problem as { errors?: ModelProblem[] })?.errors ?? []) : [];
  const problemAt = problemFinder(problems);
  const described = (path: string) => describedBy(`${id}-${path}`, { problem: problemAt(path) });
  const toggle = (list: string[], set: (l: string[]) => void, f: string) =>
    set(list.includes(f) ? list.filter((x) => x !== f) : [...list, f]);
  const chooseKind = (next: AiModelKind) => {
    const start = START[next];
    setKind(next);
    setObject(start.object);
    setTarget(start.target);
    setTextFields(start.text);
    setValueFields([]);
    setConverted([]);
    setLost([]);
    setActivityTypes([]);
    setThreshold(start.threshold);
    make.reset();
  };
  const chooseTarget = (next: string) => {
    setTarget(next);
    // The outcomes are the target's values: another field's do not carry over.
    setConverted([]);
    setLost([]);
  };
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
      <fieldset className={styles.checks}>
        <legend>What should it learn?</legend>
        <label>
          <input type="radio" name={`${id}-kind`} checked={!conversion} onChange={() => chooseKind("classifier")} /> A field's value
          (classifier)
        </label>
        <label>
          <input type="radio" name={`${id}-kind`} checked={conversion} onChange={() => chooseKind("conversion")} /> The chance a record
          converts
        </label>
      </fieldset>
      <div className={styles.row}>
        <Box id={`${id}-name`} label="Name" problem={problemAt("name")}>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={problemAt("name") ? true : undefined}
            aria-describedby={describedBy(`${id}-name`, { problem: problemAt("name") })}
          />
        </Box>
        <Box id={`${id}-object`} label="Learns from" problem={problemAt("object")}>
          <select
            id={`${id}-object`}
            value={object}
            aria-invalid={problemAt("object") ? true : undefined}
            aria-describedby={describedBy(`${id}-object`, { problem: problemAt("object") })}
            onChange={(e) => {
              setObject(e.target.value as AiModel["object"]);
              chooseTarget("");
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
        </Box>
        <Box
          id={`${id}-target`}
          label={conversion ? "Outcome field" : "Predicts"}
          hint={conversion ? "A choice field: its values say whether a record converted." : undefined}
          problem={problemAt("target")}
        >
          <select
            id={`${id}-target`}
            value={target}
            onChange={(e) => chooseTarget(e.target.value)}
            aria-invalid={problemAt("target") ? true : undefined}
            aria-describedby={describedBy(`${id}-target`, { hint: conversion, problem: problemAt("target") })}
          >
            <option value="">{conversion ? "Choose a choice field" : "Choose a field"}</option>
            {fields
              .filter((f) => TARGET_TYPES[kind].has(f.type))
              .map((f) => (
                <option key={f.name} value={f.name}>
                  {f.label}
                </option>
              ))}
          </select>
        </Box>
        <Box
          id={`${id}-threshold`}
          label={conversion ? "Predicted to convert from" : "Low confidence under"}
          hint={thresholdHint(threshold, conversion)}
          problem={problemAt("threshold")}
        >
          <input
            id={`${id}-threshold`}
            type="number"
            min={0}
            max={1}
            step={0.05}
            value={threshold}
            onChange={(e) => setThreshold(e.target.value)}
            aria-invalid={problemAt("threshold") ? true : undefined}
            aria-describedby={describedBy(`${id}-threshold`, { hint: true, problem: problemAt("threshold") })}
          />
        </Box>
      </div>
      {conversion ? (
        <ConversionFields
          id={id}
          object={object}
          target={fields.find((f) => f.name === target)}
          activityOptions={activityOptions}
          converted={converted}
          lost={lost}
          activityTypes={activityTypes}
          onConverted={setConverted}
          onLost={setLost}
          onActivityTypes={setActivityTypes}
          problemAt={problemAt}
        />
      ) : null}
      <fieldset
        className={styles.checks}
        aria-invalid={problemAt("text_fields") ? true : undefined}
        aria-describedby={described("text_fields")}
      >
        <legend>Reads the words of{conversion ? " (optional)" : ""}</legend>
        {fields
          .filter((f) => TEXT_TYPES.has(f.type) && f.name !== target)
          .map((f) => (
            <label key={f.name}>
              <input type="checkbox" checked={textFields.includes(f.name)} onChange={() => toggle(textFields, setTextFields, f.name)} />{" "}
              {f.label}
            </label>
          ))}
        <BoxProblem id={`${id}-text_fields-problem`} message={problemAt("text_fields")} />
      </fieldset>
      <fieldset
        className={styles.checks}
        aria-invalid={problemAt("value_fields") ? true : undefined}
        aria-describedby={described("value_fields")}
      >
        <legend>Reads the values of</legend>
        {fields
          .filter((f) => VALUE_TYPES.has(f.type) && f.name !== target && !textFields.includes(f.name))
          .map((f) => (
            <label key={f.name}>
              <input type="checkbox" checked={valueFields.includes(f.name)} onChange={() => toggle(valueFields, setValueFields, f.name)} />{" "}
              {f.label}
            </label>
          ))}
        <BoxProblem id={`${id}-value_fields-problem`} message={problemAt("value_fields")} />
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

/** The threshold in words as typed: "50 %: a record with a chance of 50 % or more is predicted to convert". */
function thresholdHint(typed: string, conversion: boolean): string {
  const n = Number(typed);
  if (typed.trim() === "" || !Number.isFinite(n)) return "A share between 0 and 1.";
  const pct = `${Math.round(n * 1000) / 10} %`;
  return conversion
    ? `${pct}: a record with this chance or more is predicted to convert.`
    : `${pct}: a less confident prediction is marked low confidence.`;
}
