/**
 * The recipe gallery: the eight ready workflows as cards — what each does, what it triggers on,
 * what it needs from this workspace, whether it is installed — installed as a draft or published
 * in one click. A refused install is shown on its card, naming what is missing.
 */
import { useQuery } from "@tanstack/react-query";
import { useRouteContext } from "@tanstack/react-router";
import { api, type Schemas, unwrap } from "../api/client";
import { ErrorMessage, PageHeader } from "../components/ui";
import { RecipeCard } from "./workflows/RecipeCard";
import styles from "./workflows/workflows.module.css";

export function Recipes() {
  const { session } = useRouteContext({ from: "/app" });
  const recipes = useQuery({
    queryKey: ["recipes"],
    queryFn: async () => unwrap(await api.GET("/api/v1/recipes")).data as Schemas["Recipe"][],
  });
  const canInstall = session.user.role === "admin" || session.user.role === "manager";
  return (
    <>
      <PageHeader title="Recipe gallery">
        Ready workflows for the work that falls through the cracks. Install one as a draft to read it first, or publish it at once.
        {canInstall ? "" : " Admins and managers install them."}
      </PageHeader>
      {recipes.error ? <ErrorMessage error={recipes.error} what="the recipes" /> : null}
      {recipes.isPending ? <p aria-live="polite">Loading recipes…</p> : null}
      {recipes.data ? (
        <ul className={styles.cards} aria-label="Recipes">
          {recipes.data.map((r) => (
            <li key={r.key}>
              <RecipeCard recipe={r} canInstall={canInstall} />
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
