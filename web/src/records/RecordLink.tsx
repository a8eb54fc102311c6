/**
 * A link to a record's page, /records/{plural}/{id} (the record page is its own route). It follows
 * inside the app (AppLink).
 */
import type { ReactNode } from "react";
import { AppLink } from "../components/AppLink";

export const recordPath = (plural: string, id: string) => `/records/${encodeURIComponent(plural)}/${encodeURIComponent(id)}`;

export function RecordLink({ plural, id, children }: { plural: string; id: string; children: ReactNode }) {
  return <AppLink href={recordPath(plural, id)}>{children}</AppLink>;
}
