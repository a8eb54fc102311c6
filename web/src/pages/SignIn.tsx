/**
 * /sign-in: email and password (and the workspace, only when the API asks which one). The
 * browser's own validation is off (noValidate) so that every message is ours, next to its
 * field, and read out with it; the server's refusal (401, 429 …) is shown above the form.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { type FormEvent, useRef, useState } from "react";
import { ApiError } from "../api/client";
import { type Credentials, signIn } from "../api/session";
import { Field, ui } from "../components/ui";
import { safeRedirect, sessionQuery } from "../session";
import styles from "./SignIn.module.css";

type Errors = Partial<Record<"email" | "password" | "workspace", string>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validate(values: Credentials, askWorkspace: boolean): Errors {
  const errors: Errors = {};
  const email = values.email.trim();
  if (!email) errors.email = "Enter your work email address.";
  else if (!EMAIL.test(email)) errors.email = "Enter an email address like name@company.com.";
  if (!values.password) errors.password = "Enter your password.";
  if (askWorkspace && !values.workspace?.trim()) errors.workspace = "Enter the workspace you want to open.";
  return errors;
}

/** The server's refusal, in words a person can act on. */
function refusal(error: unknown): { title: string; detail: string } {
  if (error instanceof ApiError) {
    const detail = error.problem?.detail;
    // The server never says which part was wrong; neither do we (its detail is for API clients).
    if (error.status === 401)
      return { title: "Email or password is not right.", detail: "Check both and try again; an admin can reset your password." };
    if (error.status === 429) return { title: "Too many attempts.", detail: detail ?? "Wait a minute, then try again." };
    return { title: error.problem?.title ?? "Could not sign in.", detail: detail ?? error.message };
  }
  return { title: "Could not reach Handoff.", detail: "Check your connection, then try again." };
}

/** Does the API ask which workspace to open (the same email in several)? */
function asksForWorkspace(error: unknown): boolean {
  if (!(error instanceof ApiError) || error.status === 401 || error.status === 429) return false;
  const p = error.problem;
  return Boolean(p?.errors?.some((e) => String(e.path).split(".")[0] === "workspace") || /workspace/i.test(p?.detail ?? ""));
}

export function SignIn() {
  const search = useSearch({ from: "/sign-in" });
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Credentials>({ email: "", password: "", workspace: "" });
  const [errors, setErrors] = useState<Errors>({});
  const [askWorkspace, setAskWorkspace] = useState(false);
  const [serverError, setServerError] = useState<{ title: string; detail: string } | undefined>();
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const set = (name: keyof Credentials) => (e: { currentTarget: HTMLInputElement }) => {
    const value = e.currentTarget.value;
    setValues((v) => ({ ...v, [name]: value }));
    if (errors[name]) setErrors((old) => ({ ...old, [name]: undefined }));
  };

  const focusFirstInvalid = (found: Errors) => {
    const first = (["email", "password", "workspace"] as const).find((k) => found[k]);
    if (first) form.current?.querySelector<HTMLInputElement>(`#sign-in-${first}`)?.focus();
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setServerError(undefined);
    const found = validate(values, askWorkspace);
    setErrors(found);
    if (Object.keys(found).length > 0) return focusFirstInvalid(found);
    setBusy(true);
    try {
      const workspace = values.workspace?.trim();
      const session = await signIn({
        email: values.email.trim(),
        password: values.password,
        ...(askWorkspace && workspace ? { workspace } : {}),
      });
      queryClient.setQueryData(sessionQuery.queryKey, session);
      await navigate({ href: safeRedirect(search.redirect), replace: true });
    } catch (error) {
      if (asksForWorkspace(error)) {
        setAskWorkspace(true);
        const message = error instanceof ApiError ? error.message : "Enter the workspace you want to open.";
        setErrors({ workspace: message });
        setTimeout(() => form.current?.querySelector<HTMLInputElement>("#sign-in-workspace")?.focus());
      } else {
        setServerError(refusal(error));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className={styles.page}>
      <div className={styles.card}>
        <div className={styles.brand}>
          <img className={styles.logo} src="/favicon.svg" alt="" />
          Handoff
        </div>
        <div className={styles.intro}>
          <h1>Sign in</h1>
          <p>Workflows that finish the work: your leads, tasks and automations in one place.</p>
        </div>
        {serverError ? (
          <div role="alert" className={ui.alert}>
            <strong>{serverError.title}</strong> {serverError.detail}
          </div>
        ) : null}
        <form ref={form} className={styles.form} noValidate onSubmit={onSubmit} aria-label="Sign in">
          <Field
            id="sign-in-email"
            label="Email"
            type="email"
            name="email"
            autoComplete="username"
            inputMode="email"
            value={values.email}
            onChange={set("email")}
            error={errors.email}
          />
          <Field
            id="sign-in-password"
            label="Password"
            type="password"
            name="password"
            autoComplete="current-password"
            value={values.password}
            onChange={set("password")}
            error={errors.password}
          />
          {askWorkspace ? (
            <Field
              id="sign-in-workspace"
              label="Workspace"
              hint="The workspace's short name, as in its address (for example demo)."
              name="workspace"
              autoComplete="organization"
              value={values.workspace ?? ""}
              onChange={set("workspace")}
              error={errors.workspace}
            />
          ) : null}
          <button type="submit" className={`${ui.button} ${styles.submit}`} disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </form>
        <p className={styles.footnote}>Forgot your password? Ask a Handoff admin in your workspace to reset it.</p>
      </div>
    </main>
  );
}
