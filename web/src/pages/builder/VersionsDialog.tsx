/** The builder's Versions dialog: the workflow's version history, as on its page (VersionHistory). */
import type { Schemas } from "../../api/client";
import { Modal } from "../../components/Modal";
import { ui } from "../../components/ui";
import { VersionHistory } from "../workflows/VersionHistory";

export function VersionsDialog({ open, onClose, workflow }: { open: boolean; onClose: () => void; workflow: Schemas["WorkflowPage"] }) {
  return (
    <Modal
      open={open}
      onClose={onClose}
      title={`Versions of ${workflow.name}`}
      description="Newest first: who published each version, when, and their note on what changed and why."
    >
      <VersionHistory versions={workflow.versions} liveVersion={workflow.live_version} name={workflow.name} />
      <p>
        <button type="button" className={ui.secondary} onClick={onClose}>
          Close
        </button>
      </p>
    </Modal>
  );
}
