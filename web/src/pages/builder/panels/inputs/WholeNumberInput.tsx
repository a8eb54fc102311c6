/**
 * A whole number typed into a text box (inputMode numeric): what is typed stays as typed while it
 * is being edited, and `onChange` gets the number, or undefined while the box is empty or holds
 * something that is not a whole number — so that clearing the box to type another number does not
 * snap back to a default. A value changed elsewhere (undo, another control) replaces the text.
 */
import { useEffect, useState } from "react";
import type { ControlProps } from "../PanelField";
import styles from "../panels.module.css";

const parse = (text: string): number | undefined => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined);

export function WholeNumberInput({
  control,
  value,
  onChange,
}: {
  control: ControlProps;
  value: number | undefined;
  onChange: (n: number | undefined) => void;
}) {
  const [text, setText] = useState(value === undefined ? "" : String(value));
  useEffect(() => {
    setText((t) => (parse(t) === value ? t : value === undefined ? "" : String(value)));
  }, [value]);
  return (
    <input
      {...control}
      className={styles.input}
      inputMode="numeric"
      autoComplete="off"
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parse(e.target.value));
      }}
    />
  );
}
