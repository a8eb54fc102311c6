/**
 * A queue or rule set (or any named thing) chosen from a list and written by its name, as the
 * recipes write them (the engine takes a name or an id), so the canvas reads "next in queue
 * Inbound reps"; one stored by its id shows by name. Used by assign_owner and an approval's
 * approvers ("the members of a queue").
 */

import type { ControlProps } from "../PanelField";
import { Choice } from "./Choice";
import type { Named } from "./directory";

export function ByName({
  control,
  list,
  what,
  value,
  onChange,
}: {
  control: ControlProps;
  list: { data?: Named[]; isPending: boolean };
  what: string;
  value: string;
  onChange: (name: string) => void;
}) {
  const rows = list.data ?? [];
  const shown = rows.find((r) => r.id === value)?.name ?? value;
  return (
    <Choice
      control={control}
      value={shown}
      loading={list.isPending}
      placeholder={`Choose a ${what}…`}
      options={rows.map((r) => ({ value: r.name, label: r.name }))}
      onChange={onChange}
    />
  );
}
