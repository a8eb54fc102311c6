/**
 * A required note: its label, a hint with an example, the textarea and the error under it, tied
 * together for screen readers (the hint always, the error once there is one). Used where a
 * person must say why: a version's change note, a review's note.
 */
import type { Ref } from "react";
import { ui } from "./ui";

export function NoteField(props: {
  id: string;
  label: string;
  hint: string;
  value: string;
  error: string | undefined;
  maxLength: number;
  className: string | undefined;
  inputRef?: Ref<HTMLTextAreaElement>;
  onChange: (value: string) => void;
}) {
  const { id, error } = props;
  return (
    <>
      <label htmlFor={id} className={ui.label}>
        {props.label}
      </label>
      <span id={`${id}-hint`} className={ui.hint}>
        {props.hint}
      </span>
      <textarea
        id={id}
        ref={props.inputRef}
        className={props.className}
        value={props.value}
        maxLength={props.maxLength}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {error ? (
        <span id={`${id}-error`} className={ui.fieldError}>
          {error}
        </span>
      ) : null}
    </>
  );
}
