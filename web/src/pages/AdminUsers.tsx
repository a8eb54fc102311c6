/**
 * Users (admins): the people of the workspace with their role and last sign-in; for each, set or
 * reset the password (the server's rule shown beside the field, its refusal next to it; setting it
 * signs the person out everywhere) and their sessions, each revocable. The API allows all of this
 * to admins only; RoleGate tells anyone else.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ApiError, api, unwrap } from "../api/client";
import { Modal } from "../components/Modal";
import { RoleGate } from "../components/RoleGate";
import { fullTime, timeAgo } from "../components/time";
import { EmptyState, ErrorMessage, Field, PageHeader, ui } from "../components/ui";
import styles from "./AdminUsers.module.css";

/** The server's rule (src/app/auth/passwords.ts: PASSWORD_MIN, PASSWORD_MAX), said to the admin before they type. */
const PASSWORD_RULE = "At least 12 characters (at most 1,024). Setting it signs the person out of every session.";
const ROLE_NAMES: Record<string, string> = { admin: "Admin", manager: "Manager", rep: "Rep", integration: "Integration" };

interface User {
  id: string;
  name: string;
  email: string;
  role: string;
}

function useUsers() {
  const users = useQuery({
    queryKey: ["admin", "users"],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/users", { params: { query: { limit: "500", sort: "name" } } })).data as unknown as User[],
  });
  const signIns = useQuery({
    queryKey: ["admin", "sign-ins"],
    queryFn: async () => new Map(unwrap(await api.GET("/api/v1/sign-ins")).data.map((s) => [s.user_id, s])),
  });
  return { users, signIns };
}

function PasswordForm({ user }: { user: User }) {
  const queryClient = useQueryClient();
  const [password, setPassword] = useState("");
  const [local, setLocal] = useState<string | undefined>();
  const set = useMutation({
    mutationFn: async (value: string) =>
      unwrap(await api.PUT("/api/v1/users/{id}/password", { params: { path: { id: user.id } }, body: { password: value } })),
    onSuccess: () => {
      setPassword("");
      return queryClient.invalidateQueries({ queryKey: ["admin"] });
    },
  });
  const serverError =
    set.error instanceof ApiError
      ? (set.error.problem?.errors?.find((e) => e.path === "password")?.message ??
        (set.error.status === 422 ? set.error.message : undefined))
      : undefined;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (password.length < 12) {
      setLocal("The password needs at least 12 characters.");
      return;
    }
    setLocal(undefined);
    set.mutate(password);
  };
  const fieldError = local ?? serverError;
  return (
    <form className={styles.form} onSubmit={onSubmit} noValidate>
      <h3>Password</h3>
      <Field
        id="new-password"
        label="New password"
        type="password"
        autoComplete="new-password"
        hint={PASSWORD_RULE}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldError}
      />
      <div>
        <button type="submit" className={ui.button} disabled={set.isPending}>
          {set.isPending ? "Setting…" : "Set password"}
        </button>
      </div>
      <div aria-live="polite">
        {set.isSuccess ? (
          <p className={styles.ok} role="status">
            Password set for {user.name}.{" "}
            {set.data.revoked_sessions === 0
              ? "They had no open session."
              : `${set.data.revoked_sessions} open session${set.data.revoked_sessions === 1 ? " was" : "s were"} ended.`}{" "}
            Tell them the new password in person or by another channel.
          </p>
        ) : null}
      </div>
      {set.error && !fieldError ? <ErrorMessage error={set.error} what="the password" /> : null}
    </form>
  );
}

function Sessions({ user }: { user: User }) {
  const queryClient = useQueryClient();
  const sessions = useQuery({
    queryKey: ["admin", "sessions", user.id],
    queryFn: async () => unwrap(await api.GET("/api/v1/users/{id}/sessions", { params: { path: { id: user.id } } })).data,
  });
  const revoke = useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE("/api/v1/sessions/{id}", { params: { path: { id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["admin"] }),
  });
  return (
    <section className={styles.sessions} aria-labelledby="sessions-heading">
      <h3 id="sessions-heading">Sessions</h3>
      {sessions.error ? <ErrorMessage error={sessions.error} what="the sessions" /> : null}
      {revoke.error ? <ErrorMessage error={revoke.error} what="that session" /> : null}
      <div aria-live="polite">{revoke.isSuccess ? <p role="status">Session revoked: that browser is signed out.</p> : null}</div>
      {sessions.data && sessions.data.length === 0 ? <p className={styles.muted}>{user.name} has never signed in.</p> : null}
      {sessions.data && sessions.data.length > 0 ? (
        <ul className={styles.sessionList}>
          {sessions.data.map((s) => (
            <li key={s.id}>
              <span>
                Signed in {timeAgo(s.created_at)} <span className={styles.muted}>({fullTime(s.created_at)})</span>
                {s.live ? `, last seen ${timeAgo(s.last_seen_at)}` : s.revoked_at ? ", revoked" : ", ended"}
              </span>
              {s.live ? (
                <button
                  type="button"
                  className={ui.secondary}
                  onClick={() => revoke.mutate(s.id)}
                  disabled={revoke.isPending}
                  aria-label={`Revoke the session signed in ${fullTime(s.created_at)}`}
                >
                  Revoke
                </button>
              ) : (
                <span className={styles.muted}>{s.revoked_at ? "Revoked" : "Ended"}</span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function ManageUser({ user, onClose }: { user: User | null; onClose: () => void }) {
  return (
    <Modal open={user !== null} onClose={onClose} title={user?.name ?? ""}>
      {user ? (
        <>
          <p className={styles.muted}>
            {ROLE_NAMES[user.role] ?? user.role} · {user.email}
          </p>
          <PasswordForm user={user} />
          <Sessions user={user} />
          <div className={styles.close}>
            <button type="button" className={ui.secondary} onClick={onClose}>
              Close
            </button>
          </div>
        </>
      ) : null}
    </Modal>
  );
}

function UsersTable() {
  const { users, signIns } = useUsers();
  const [managing, setManaging] = useState<User | null>(null);
  return (
    <>
      {users.error ? <ErrorMessage error={users.error} what="the users" /> : null}
      {signIns.error ? <ErrorMessage error={signIns.error} what="the last sign-ins" /> : null}
      {users.isPending ? <p aria-live="polite">Loading the users…</p> : null}
      {users.data && users.data.length === 0 ? (
        <EmptyState title="No users yet">
          Add people with <code>handoff user create</code> or <code>POST /api/v1/users</code>; they appear here to be given a password.
        </EmptyState>
      ) : null}
      {users.data && users.data.length > 0 ? (
        <div className={styles.scroll}>
          <table className={ui.table}>
            <caption className="visually-hidden">Users of the workspace</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">Password and sessions</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((u) => {
                const last = signIns.data?.get(u.id);
                return (
                  <tr key={u.id}>
                    <th scope="row" className={styles.name}>
                      {u.name}
                    </th>
                    <td>{u.email}</td>
                    <td>{ROLE_NAMES[u.role] ?? u.role}</td>
                    <td>
                      {last ? (
                        <time dateTime={last.last_sign_in_at} title={fullTime(last.last_sign_in_at)}>
                          {timeAgo(last.last_sign_in_at)}
                        </time>
                      ) : signIns.data ? (
                        <span className={styles.muted}>never</span>
                      ) : (
                        "…"
                      )}
                    </td>
                    <td>
                      <button type="button" className={ui.secondary} onClick={() => setManaging(u)}>
                        Manage<span className="visually-hidden"> {u.name}</span>
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <ManageUser user={managing} onClose={() => setManaging(null)} />
    </>
  );
}

export function AdminUsers() {
  return (
    <RoleGate roles={["admin"]} who="admins" title="Access">
      <PageHeader title="Access">
        Who can sign in: the people of this workspace with their role and last sign-in; set or reset a password, end a session. (Their
        records are under Records → Users.)
      </PageHeader>
      <UsersTable />
    </RoleGate>
  );
}
