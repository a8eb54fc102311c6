/** The round-robin rotations port. */
import type { RotationPort } from "../../rotation-ports.js";
import type { SqlSession } from "../session.js";
import * as wf from "../workflows.js";

export class SqlRotations implements RotationPort {
  constructor(private readonly s: SqlSession) {}

  getRotation(workspaceId: string, key: string) {
    return wf.getRotation(this.s.db, workspaceId, key);
  }
  setRotation(workspaceId: string, key: string, lastUserId: string) {
    return wf.setRotation(this.s.db, workspaceId, key, lastUserId);
  }
}
