/**
 * Which SLA policy an `sla` trigger follows, by name: the workspace's policies of the workflow's
 * object (GET /api/v1/sla/policies). A stored name the workspace does not have (or that measures
 * another object) stays shown, marked, so that publishing's refusal of it can be understood.
 */
import { useQuery } from "@tanstack/react-query";
import { policiesQuery } from "../../../sla/data";
import type { ControlProps } from "../PanelField";
import styles from "../panels.module.css";

export function SlaPolicyPicker({
  control,
  object,
  value,
  onChange,
}: {
  control: ControlProps;
  object: string;
  value: string;
  onChange: (policy: string) => void;
}) {
  const policies = useQuery(policiesQuery);
  const names = (policies.data ?? []).filter((p) => p.object === object).map((p) => p.name);
  const missing = value && policies.data && !names.includes(value) ? value : undefined;
  return (
    <select {...control} className={styles.select} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{names.length > 0 || !policies.data ? "Choose a policy…" : "No SLA policy measures this object"}</option>
      {names.map((n) => (
        <option key={n} value={n}>
          {n}
        </option>
      ))}
      {missing ? <option value={missing}>{missing} (no such policy here)</option> : null}
      {value && !policies.data ? <option value={value}>{value}</option> : null}
    </select>
  );
}
