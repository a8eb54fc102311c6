/** Records: the workspace's objects (built-in and custom fields), each a link to its list. */
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { api, unwrap } from "../api/client";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../components/ui";

interface ObjectInfo {
  name: string;
  plural?: string;
  label?: string;
  fields?: unknown[];
}

export function Records() {
  const objects = useQuery({
    queryKey: ["objects"],
    queryFn: async () => unwrap(await api.GET("/api/v1/objects")).data as ObjectInfo[],
  });
  return (
    <>
      <PageHeader title="Records">
        The kinds of records this workspace keeps. Open one to list, filter, create and edit its records.
      </PageHeader>
      {objects.error ? <ErrorMessage error={objects.error} what="the objects" /> : null}
      {objects.isPending ? <p aria-live="polite">Loading objects…</p> : null}
      {objects.data && objects.data.length === 0 ? (
        <EmptyState title="No objects">This workspace has no objects; check the server's version.</EmptyState>
      ) : null}
      {objects.data && objects.data.length > 0 ? (
        <table className={ui.table}>
          <caption className="visually-hidden">Objects</caption>
          <thead>
            <tr>
              <th scope="col">Object</th>
              <th scope="col">API name</th>
              <th scope="col">Fields</th>
            </tr>
          </thead>
          <tbody>
            {objects.data.map((o) => (
              <tr key={o.name}>
                <td>
                  <Link to="/records/$object" params={{ object: o.plural ?? o.name }}>
                    {o.plural ? o.plural.charAt(0).toUpperCase() + o.plural.slice(1) : (o.label ?? o.name)}
                  </Link>
                </td>
                <td>
                  <code>{o.plural ?? o.name}</code>
                </td>
                <td>{o.fields?.length ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
