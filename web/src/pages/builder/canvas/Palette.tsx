/**
 * The palette beside the canvas: every step and action that can be added, by group, each with
 * what it does. Drag one onto a "+" on an arrow; or choose one (click, Enter) and then a "+".
 */
import { PALETTE, PALETTE_GROUPS } from "../model/palette";
import styles from "./canvas.module.css";
import { PALETTE_MIME } from "./flow-types";

export interface PaletteProps {
  chosen: string | undefined;
  onChoose: (item: string) => void;
  /** Folds the palette away, for more room on the canvas. */
  onHide: () => void;
}

export function Palette({ chosen, onChoose, onHide }: PaletteProps) {
  return (
    <nav className={styles.palette} aria-labelledby="palette-title">
      <div className={styles.paletteHead}>
        <h2 id="palette-title" className={styles.paletteTitle}>
          Add a step
        </h2>
        <button type="button" className={styles.small} onClick={onHide} aria-expanded={true} aria-label="Hide the steps to add">
          Hide
        </button>
      </div>
      <p className={styles.hint} id="palette-hint">
        Drag one onto a + on an arrow, or choose one and then a +.
      </p>
      {PALETTE_GROUPS.map((group) => (
        <section key={group} aria-label={group}>
          <h3 className={styles.groupTitle}>{group}</h3>
          <ul className={styles.paletteList}>
            {PALETTE.filter((i) => i.group === group).map((item) => (
              <li key={item.id}>
                <button
                  type="button"
                  draggable
                  className={`${styles.paletteItem} ${chosen === item.id ? styles.chosen : ""}`}
                  aria-pressed={chosen === item.id}
                  aria-describedby="palette-hint"
                  title={item.words}
                  onClick={() => onChoose(item.id)}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(PALETTE_MIME, item.id);
                    e.dataTransfer.setData("text/plain", item.label);
                    e.dataTransfer.effectAllowed = "copy";
                  }}
                >
                  {item.label}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}
