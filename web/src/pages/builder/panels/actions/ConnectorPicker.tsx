/**
 * The connector an external action goes through, picked from the workspace's connectors of the
 * right kind (GET /api/v1/connectors, which admins and managers may read). Where the list cannot
 * be read (another role) the key is typed instead.
 */
import { Choice } from "../inputs/Choice";
import { useConnectors } from "../inputs/directory";
import { useKit } from "../kit";
import { PanelField } from "../PanelField";
import styles from "../panels.module.css";

export function ConnectorPicker({
  path,
  kind,
  value,
  onChange,
}: {
  path: string;
  /** The connector kind the action needs: smtp, http or chat. */
  kind: "smtp" | "http" | "chat";
  value: string;
  onChange: (key: string) => void;
}) {
  const kit = useKit();
  const connectors = useConnectors(kit.editable);
  const fitting = (connectors.data ?? []).filter((c) => c.kind === kind);
  return (
    <PanelField
      path={`${path}.connector`}
      label="Through the connector"
      hint={
        connectors.data && fitting.length === 0
          ? `This workspace has no ${kind} connector yet: an admin adds one under Connectors.`
          : undefined
      }
    >
      {(c) =>
        connectors.data ? (
          <Choice
            control={c}
            value={value}
            placeholder="Choose a connector…"
            options={fitting.map((x) => ({ value: x.key, label: `${x.name} (${x.key})` }))}
            onChange={onChange}
          />
        ) : (
          <input {...c} className={styles.input} value={value} spellCheck={false} onChange={(e) => onChange(e.target.value)} />
        )
      }
    </PanelField>
  );
}
