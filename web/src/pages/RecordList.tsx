/**
 * /records/$object: the list of one object's records. Everything that decides what is listed
 * (filters, all/any, search words, sort, page cursors) is in the URL's search params, so a
 * list can be shared and Back returns to the previous list; the chosen columns are remembered
 * per object in this browser. The export downloads what the filters match (GET export.csv with
 * the same filter); admins import a CSV below the list.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link, useNavigate, useParams, useRouteContext, useSearch } from "@tanstack/react-router";
import { type FormEvent, useMemo, useState } from "react";
import { ApiError } from "../api/client";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../components/ui";
import { ColumnMenu } from "../records/ColumnMenu";
import { CsvImport } from "../records/CsvImport";
import { useColumns } from "../records/columns";
import { FilterBar } from "../records/FilterBar";
import { describeFilterIssue, type FilterNode, type FilterRow, type ListSearch, toApiFilter } from "../records/filters";
import { type FieldInfo, findObject, humanize, listableFields, type ObjectInfo, objectsQuery } from "../records/model";
import { objectNotReady } from "../records/objectNotReady";
import { RecordTable } from "../records/RecordTable";
import styles from "../records/records.module.css";
import { exportUrl, listRecords } from "../records/recordsApi";

const PAGE_SIZE = 25;
/** Roles the API lets export and import (docs/api.md "Roles"); the API refuses the others too. */
const CAN_EXPORT = new Set(["admin", "manager", "integration"]);
const CAN_IMPORT = new Set(["admin", "integration"]);

export function RecordList() {
  const { object: plural } = useParams({ from: "/app/records/$object" });
  const objects = useQuery(objectsQuery);
  const object = findObject(objects.data, plural);
  const notReady = objectNotReady(objects, object, plural);
  if (notReady || !object) return notReady;
  return <ObjectList key={object.plural} object={object} objects={objects.data ?? []} />;
}

function ObjectList({ object, objects }: { object: ObjectInfo; objects: ObjectInfo[] }) {
  const search = useSearch({ from: "/app/records/$object" });
  const navigate = useNavigate({ from: "/records/$object" });
  const { session } = useRouteContext({ from: "/app" });
  const fields = useMemo(() => listableFields(object), [object]);
  const [columnNames, setColumns, resetColumns] = useColumns(object);
  const columns = columnNames.map((n) => fields.find((f) => f.name === n)).filter((f) => f !== undefined);
  const noun = object.plural;
  const title = humanize(object.plural);

  const filter = useMemo(() => toApiFilter(object, search), [object, search]);
  const cursor = search.pages?.at(-1);
  const include = columns.filter((f) => f.type === "reference").map((f) => f.name);
  const page = useQuery({
    queryKey: ["records", object.plural, { filter, sort: search.sort, cursor, include }],
    queryFn: () => listRecords(object.plural, { filter, sort: search.sort, cursor, limit: PAGE_SIZE, include }),
    placeholderData: keepPreviousData,
  });

  // Changing what is listed starts again at the first page.
  const go = (change: Partial<ListSearch>, keepPages = false) =>
    navigate({
      search: (prev: ListSearch): ListSearch => {
        const next: ListSearch = { ...prev, ...change };
        if (!keepPages) delete next.pages;
        for (const k of Object.keys(next) as (keyof ListSearch)[]) if (next[k] === undefined) delete next[k];
        return next;
      },
    });
  const applyFilters = (filters: FilterRow[], match: "all" | "any") =>
    go({ filters: filters.length > 0 ? filters : undefined, match: match === "any" ? "any" : undefined });
  const clearFilters = () => navigate({ search: (prev: ListSearch) => (prev.sort ? { sort: prev.sort } : {}) });
  const filtered = (search.filters?.length ?? 0) > 0 || !!search.q;
  const pageNumber = (search.pages?.length ?? 0) + 1;
  const filterKey = JSON.stringify([search.filters, search.match]);

  return (
    <>
      <PageHeader title={title}>
        Every {object.label.toLowerCase()} in this workspace. Filter, sort and choose columns; the address of this page keeps them, so you
        can share it.
      </PageHeader>
      <div className={styles.toolbar}>
        <SearchBox key={search.q ?? ""} noun={noun} value={search.q ?? ""} onSearch={(q) => go({ q: q.trim() ? q : undefined })} />
        <div className={styles.toolbarActions}>
          <Link to="/records/$object/new" params={{ object: object.plural }} className={ui.button}>
            New {object.label.toLowerCase()}
          </Link>
          <ColumnMenu fields={fields} shown={columnNames} onChange={setColumns} onReset={resetColumns} />
          {CAN_EXPORT.has(session.user.role) ? (
            <a className={ui.secondary} href={exportUrl(object.plural, filter)} download={`${object.plural}.csv`}>
              Export CSV{filtered ? " (filtered)" : ""}
            </a>
          ) : null}
        </div>
      </div>
      <FilterBar key={filterKey} fields={fields} search={search} noun={noun} onApply={applyFilters} onClear={clearFilters} />
      {page.error ? <ListProblem error={page.error} filter={filter} fields={fields} /> : null}
      {page.isPending ? <p aria-live="polite">Loading {noun}…</p> : null}
      {page.data ? (
        <>
          <p className={styles.status} aria-live="polite">
            {page.data.data.length === 0
              ? ""
              : `Page ${pageNumber}: ${page.data.data.length} ${page.data.data.length === 1 ? object.label.toLowerCase() : noun}${filtered ? " matching" : ""}${
                  search.sort ? `, sorted by ${fields.find((f) => f.name === search.sort?.replace(/^-/, ""))?.label ?? search.sort}` : ""
                }.`}
          </p>
          {page.data.data.length === 0 ? (
            filtered ? (
              <section className={ui.empty} aria-label={`No ${noun} match`}>
                <h2>No {noun} match these filters — clear filters</h2>
                <p>Change a filter above, or start again with every {object.label.toLowerCase()}.</p>
                <button type="button" className={ui.secondary} onClick={clearFilters}>
                  Clear filters
                </button>
              </section>
            ) : (
              <EmptyState title={`No ${noun} yet`}>
                Create one with “New {object.label.toLowerCase()}”{CAN_IMPORT.has(session.user.role) ? ", or import a CSV file below" : ""}.
              </EmptyState>
            )
          ) : (
            <RecordTable
              object={object}
              objects={objects}
              columns={columns}
              records={page.data.data}
              sort={search.sort}
              onSort={(sort) => go({ sort })}
              caption={`${title}, page ${pageNumber}`}
            />
          )}
          {pageNumber > 1 || page.data.next_cursor ? (
            <nav className={styles.pager} aria-label="Pages">
              <button
                type="button"
                className={ui.secondary}
                disabled={pageNumber === 1}
                onClick={() => go({ pages: search.pages?.slice(0, -1).length ? search.pages.slice(0, -1) : undefined }, true)}
              >
                Previous
              </button>
              <span>Page {pageNumber}</span>
              <button
                type="button"
                className={ui.secondary}
                disabled={!page.data.next_cursor}
                onClick={() => page.data.next_cursor && go({ pages: [...(search.pages ?? []), page.data.next_cursor] }, true)}
              >
                Next
              </button>
            </nav>
          ) : null}
        </>
      ) : null}
      {CAN_IMPORT.has(session.user.role) ? <CsvImport object={object} /> : null}
    </>
  );
}

function SearchBox({ noun, value, onSearch }: { noun: string; value: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState(value);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(text);
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is not in every browser Handoff supports; the role says the same
    <form role="search" className={styles.search} onSubmit={submit}>
      <label className="visually-hidden" htmlFor="record-search">
        Search {noun}
      </label>
      <input
        id="record-search"
        type="search"
        className={ui.input}
        value={text}
        placeholder={`Search ${noun} by name, email…`}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" className={ui.secondary}>
        Search
      </button>
    </form>
  );
}

/** A filter the API refused (400 or 422 naming the condition) or a list it would not give. */
function ListProblem({ error, filter, fields }: { error: unknown; filter: FilterNode | undefined; fields: readonly FieldInfo[] }) {
  if (error instanceof ApiError && (error.status === 400 || error.status === 422)) {
    const issues = (error.problem as { errors?: { path: string; message: string }[] } | undefined)?.errors ?? [];
    return (
      <div role="alert" className={ui.alert}>
        <strong>These filters cannot be used: {error.problem?.detail ?? error.message}.</strong>
        <ul>
          {issues.map((i) => (
            <li key={`${i.path}-${i.message}`}>{describeFilterIssue(filter, i.path, i.message, fields)}</li>
          ))}
        </ul>
        Change the filter's value (a number for numbers, a date for dates) and apply again.
      </div>
    );
  }
  return <ErrorMessage error={error} what="the list" />;
}
