/**
 * The builder's condition editor outside the builder: its panels find what they need in a
 * PanelKit context (builder/panels/kit.tsx). The condition controls read only three things of
 * it — the workspace's objects and fields, the server's problems by path, and whether the person
 * may edit — so this adapter supplies those, and gives the builder-only members (the workflow
 * definition, its edit, the template preview record) values that fail loudly if a panel that
 * needs a workflow is ever put inside it, rather than a pretend workflow.
 */
import type { ReactNode } from "react";
import { useMemo } from "react";
import type { ObjectInfo } from "../../records/model";
import type { Problem } from "../builder/model/problems";
import { type PanelKit, PanelKitContext } from "../builder/panels/kit";

const notInBuilder = (what: string) => (): never => {
  throw new Error(`${what} is the workflow builder's; the routing condition editor has none`);
};

export function ConditionKit({
  objects,
  problems,
  editable,
  children,
}: {
  objects: readonly ObjectInfo[];
  /** With dotted paths, as the condition editor names its controls ("load.where.and.0.field"). */
  problems: readonly Problem[];
  editable: boolean;
  children: ReactNode;
}) {
  const kit = useMemo<PanelKit>(
    () => ({
      objects,
      problems,
      editable,
      get definition(): never {
        return notInBuilder("The workflow definition")();
      },
      onEdit: notInBuilder("Editing a workflow"),
      previewRecord: undefined,
      setPreviewRecord: notInBuilder("The template preview"),
    }),
    [objects, problems, editable],
  );
  return <PanelKitContext.Provider value={kit}>{children}</PanelKitContext.Provider>;
}
