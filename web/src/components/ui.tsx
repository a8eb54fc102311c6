/** The app's small shared pieces: page header, field, empty state, error message. */
import { Label } from "radix-ui";
import type { InputHTMLAttributes, ReactNode } from "react";
import { ApiError } from "../api/client";
import styles from "./ui.module.css";

export { styles as ui };

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className={styles.pageHeader}>
      <h1>{title}</h1>
      {children ? <p>{children}</p> : null}
    </header>
  );
}

export interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
}

/** A labelled input; its hint and error are read out with it (aria-describedby). */
export function Field({ id, label, hint, error, ...input }: FieldProps) {
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div className={styles.field}>
      <Label.Root htmlFor={id} className={styles.label}>
        {label}
      </Label.Root>
      {hint ? (
        <span id={`${id}-hint`} className={styles.hint}>
          {hint}
        </span>
      ) : null}
      <input
        id={id}
        className={styles.input}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        {...input}
      />
      {error ? (
        <span id={`${id}-error`} className={styles.fieldError}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className={styles.empty} aria-label={title}>
      <h2>{title}</h2>
      <p>{children}</p>
    </section>
  );
}

/** What went wrong and what to do next, from an API problem or any error. */
export function ErrorMessage({ error, what }: { error: unknown; what: string }) {
  let next = "Try again in a moment; if it keeps happening, ask your Handoff admin to check the server's logs.";
  if (error instanceof ApiError) {
    if (error.status === 401) next = "Your session has ended: sign in again.";
    else if (error.status === 403) next = "Your role does not allow this; ask an admin if you need it.";
  }
  return (
    <div role="alert" className={styles.alert}>
      <strong>Could not load {what}.</strong> {error instanceof Error ? error.message : String(error)}. {next}
    </div>
  );
}
