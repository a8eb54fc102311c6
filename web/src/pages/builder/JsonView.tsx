/**
 * The JSON view for power users: the whole definition as text in a labelled, monospace textarea.
 * An edit applies as soon as the text parses (one undo step per run of typing); until then the
 * parse error is shown with its line and column and nothing is applied. The text round-trips with
 * the canvas without losing anything (json-text.ts). The key cannot change here: the builder
 * explains why and applies nothing until it is put back.
 */
import { useEffect, useId, useRef, useState } from "react";
import styles from "./builder.module.css";
import { definitionText, readDefinitionText } from "./json-text";
import type { BuilderPartProps } from "./types";

export function JsonView({
  definition,
  onEdit,
  editable,
  onUnapplied,
}: Pick<BuilderPartProps, "definition" | "onEdit" | "editable"> & {
  /** Told whether the text holds an edit that is not applied (it has an error): leaving the view would drop it. */
  onUnapplied?: (unapplied: boolean) => void;
}) {
  const id = useId();
  const [text, setText] = useState(() => definitionText(definition));
  const [error, setError] = useState<string | undefined>();
  /** The definition this view made from its text: any other one came from elsewhere (undo, redo). */
  const applied = useRef(definition);

  useEffect(() => {
    if (definition === applied.current) return;
    applied.current = definition;
    setText(definitionText(definition));
    setError(undefined);
  }, [definition]);

  useEffect(() => onUnapplied?.(error !== undefined), [error, onUnapplied]);

  const onChange = (next: string) => {
    setText(next);
    const read = readDefinitionText(next, definition.key);
    if (!read.ok) {
      setError(read.message);
      return;
    }
    setError(undefined);
    applied.current = read.definition;
    onEdit(read.definition, "json");
  };

  return (
    <div className={styles.jsonView}>
      <label htmlFor={id} className={styles.label}>
        The workflow as JSON
      </label>
      <span id={`${id}-hint`} className={styles.hint}>
        Edits apply as soon as the text is valid JSON, and the problems list checks them like any other edit. Everything here is kept as
        written, keys the builder does not know included.
      </span>
      <textarea
        id={id}
        className={styles.jsonText}
        value={text}
        readOnly={!editable}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
        onChange={(e) => onChange(e.target.value)}
      />
      {error ? (
        <p id={`${id}-error`} className={styles.jsonError} role="alert">
          {error} Nothing of this edit is applied until it is fixed.
        </p>
      ) : null}
    </div>
  );
}
