/**
 * The "+" menu of an edge: a dialog titled "Add a step here" with every palette item by group
 * (Tab and Enter, Escape to close), "Paste copied steps here" when something is copied, and the
 * reason when an item cannot go here.
 */
import { Modal } from "../../../components/Modal";
import { ui } from "../../../components/ui";
import { PALETTE, PALETTE_GROUPS } from "../model/palette";
import styles from "./canvas.module.css";

export interface InsertMenuProps {
  open: boolean;
  where: string;
  /** The path ends here: an End may go here. */
  endsHere: boolean;
  canPaste: string | undefined;
  error: string | undefined;
  onChoose: (item: string) => void;
  onPaste: () => void;
  onClose: () => void;
}

export function InsertMenu({ open, where, endsHere, canPaste, error, onChoose, onPaste, onClose }: InsertMenuProps) {
  return (
    <Modal open={open} onClose={onClose} title="Add a step here" description={<p>Adds it {where}.</p>}>
      {error ? (
        <div role="alert" className={ui.alert}>
          {error}
        </div>
      ) : null}
      {canPaste ? (
        <button type="button" className={ui.secondary} onClick={onPaste}>
          Paste {canPaste} here
        </button>
      ) : null}
      <div className={styles.menuGroups}>
        {PALETTE_GROUPS.map((group) => (
          <section key={group} aria-label={group} className={styles.menuGroup}>
            <h3 className={styles.groupTitle}>{group}</h3>
            {PALETTE.filter((i) => i.group === group).map((item) => {
              const disabled = item.id === "end" && !endsHere;
              return (
                <button
                  key={item.id}
                  type="button"
                  className={styles.menuItem}
                  disabled={disabled}
                  onClick={() => onChoose(item.id)}
                  aria-describedby={`menu-${item.id}`}
                >
                  <span className={styles.menuLabel}>{item.label}</span>
                  <span id={`menu-${item.id}`} className={styles.menuWords}>
                    {disabled ? "Only where a path ends (an arrow to End)." : item.words}
                  </span>
                </button>
              );
            })}
          </section>
        ))}
      </div>
      <div className={styles.menuActions}>
        <button type="button" className={ui.secondary} onClick={onClose}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
