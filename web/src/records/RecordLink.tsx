/**
 * A link to a record's page, /records/{plural}/{id} (the record page is its own route). A plain
 * click navigates inside the app; a modified click (new tab, new window) is left to the browser.
 */
import { useRouter } from "@tanstack/react-router";
import type { MouseEvent, ReactNode } from "react";

export const recordPath = (plural: string, id: string) => `/records/${encodeURIComponent(plural)}/${encodeURIComponent(id)}`;

export function RecordLink({ plural, id, children }: { plural: string; id: string; children: ReactNode }) {
  const router = useRouter();
  const href = recordPath(plural, id);
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    void router.navigate({ href });
  };
  return (
    <a href={href} onClick={onClick}>
      {children}
    </a>
  );
}
