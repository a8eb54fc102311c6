/**
 * What a page about one object shows before it can show the object: the objects' error, a
 * loading line, or "no such object" for a name in the URL that Handoff does not have. Null once
 * the object is there. One place, so every record page says these the same way.
 */

import type { UseQueryResult } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import type { ReactElement } from "react";
import { EmptyState, ErrorMessage, PageHeader } from "../components/ui";
import type { ObjectInfo } from "./model";

export function objectNotReady(objects: UseQueryResult<ObjectInfo[]>, object: ObjectInfo | undefined, plural: string): ReactElement | null {
  if (objects.error) return <ErrorMessage error={objects.error} what="the objects" />;
  if (objects.isPending) return <p aria-live="polite">Loading…</p>;
  if (object) return null;
  return (
    <>
      <PageHeader title="No such object" />
      <EmptyState title={`Handoff has no object called “${plural}”`}>
        Pick one on the <Link to="/records">Records</Link> page.
      </EmptyState>
    </>
  );
}
