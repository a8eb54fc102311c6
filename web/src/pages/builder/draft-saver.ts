/**
 * The rules of saving a draft, apart from React so that a test drives them: one save at a time;
 * a save ends only once what it saved is the latest definition (an edit made while a save is on
 * its way is saved right after it, so none is lost); an edit undone back to what was saved needs
 * no save; a forced save sends even an unchanged definition (publishing again what is live needs
 * a draft). `post` does the call; the saver says where things stand through `onStatus`.
 */
import type { WorkflowDefinition } from "../../components/graph/definition.js";

export type SaveStatus =
  | { kind: "saved"; at: Date; version: number }
  | { kind: "pending" }
  | { kind: "saving" }
  | { kind: "failed"; reason: string };

export type PostResult = { ok: true; version: number } | { ok: false; reason: string };

/** JSON text as a cheap equality: an edit undone back to what was saved needs no save. */
export const sameDefinition = (a: WorkflowDefinition, b: WorkflowDefinition) => a === b || JSON.stringify(a) === JSON.stringify(b);

export class DraftSaver {
  private latest: WorkflowDefinition;
  private saved: WorkflowDefinition;
  private inFlight: Promise<boolean> | null = null;
  private status: SaveStatus;

  constructor(
    opened: { definition: WorkflowDefinition; version: number; savedAt: Date },
    private readonly post: (definition: WorkflowDefinition) => Promise<PostResult>,
    private readonly onStatus: (status: SaveStatus) => void,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.latest = opened.definition;
    this.saved = opened.definition;
    this.version = opened.version;
    this.status = { kind: "saved", at: opened.savedAt, version: opened.version };
  }

  /** The version saves go to: the draft, or the live version until the first save makes a draft. */
  version: number;

  /** True while the latest edit is not on the server. */
  get dirty(): boolean {
    return !sameDefinition(this.latest, this.saved);
  }

  /** An edit: the definition the next save sends. */
  edit(definition: WorkflowDefinition) {
    this.latest = definition;
    if (this.dirty && this.status.kind !== "saving") this.set({ kind: "pending" });
  }

  /** Saves now; true once the latest definition is saved. */
  async saveNow(force = false): Promise<boolean> {
    // A forced save waits for the one under way, then saves again.
    if (force && this.inFlight) await this.inFlight;
    if (!this.inFlight)
      this.inFlight = this.saveLatest(force).finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }

  private async saveLatest(force: boolean): Promise<boolean> {
    for (let first = true; ; first = false) {
      const sending = this.latest;
      if (!(force && first) && sameDefinition(sending, this.saved)) {
        if (this.status.kind !== "saved") this.set({ kind: "saved", at: this.now(), version: this.version });
        return true;
      }
      this.set({ kind: "saving" });
      const result = await this.post(sending).catch((): PostResult => ({ ok: false, reason: "the server could not be reached" }));
      if (!result.ok) {
        this.set({ kind: "failed", reason: result.reason });
        return false;
      }
      this.saved = sending;
      this.version = result.version;
      this.set({ kind: "saved", at: this.now(), version: result.version });
    }
  }

  private set(status: SaveStatus) {
    this.status = status;
    this.onStatus(status);
  }
}
