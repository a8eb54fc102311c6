/** A field's error under it, linked by id (`<id>-error`, the control's aria-describedby). */
import styles from "./Routing.module.css";

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <span id={`${id}-error`} className={styles.fieldError}>
      {message}
    </span>
  ) : null;
}
