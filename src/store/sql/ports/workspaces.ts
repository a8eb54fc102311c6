/** The workspaces port: a transaction reads a workspace once (every workflow step of a group asks). */
import type { Workspace, WorkspacePort, WorkspaceSettings } from "../../workspace-ports.js";
import type { SqlSession } from "../session.js";
import { memoized } from "../unit-of-work.js";
import * as ws from "../workspace.js";

export class SqlWorkspaces implements WorkspacePort {
  constructor(private readonly s: SqlSession) {}

  getWorkspace(id: string) {
    const load = () => ws.getWorkspace(this.s.db, id);
    return this.s.uow ? memoized(this.s.uow.workspaces, id, load) : load();
  }
  getWorkspaceBySlug(slug: string) {
    return ws.getWorkspaceBySlug(this.s.db, slug);
  }
  insertWorkspace(workspace: Workspace) {
    this.s.uow?.workspaces.delete(workspace.id);
    return ws.insertWorkspace(this.s.db, workspace);
  }
  updateWorkspaceSettings(id: string, settings: WorkspaceSettings) {
    this.s.uow?.workspaces.delete(id);
    return ws.updateWorkspaceSettings(this.s.db, id, settings);
  }
}
