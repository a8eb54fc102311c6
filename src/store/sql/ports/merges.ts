/** The merges port: record merges and their tombstones. */
import type { MergePort, MergeRow } from "../../merge-ports.js";
import * as merges from "../merges.js";
import type { SqlSession } from "../session.js";

export class SqlMerges implements MergePort {
  constructor(private readonly s: SqlSession) {}

  getMerge(workspaceId: string, id: string) {
    return merges.getMerge(this.s.db, this.s.d, workspaceId, id);
  }
  openMergeOf(workspaceId: string, recordId: string) {
    return merges.openMergeOf(this.s.db, this.s.d, workspaceId, recordId);
  }
  mergesInto(workspaceId: string, survivorId: string, limit: number) {
    return merges.mergesInto(this.s.db, this.s.d, workspaceId, survivorId, limit);
  }
  insertMerge(row: MergeRow) {
    return merges.insertMerge(this.s.db, this.s.d, row);
  }
  markUndone(workspaceId: string, id: string, at: string, by: string) {
    return merges.markUndone(this.s.db, workspaceId, id, at, by);
  }
}
