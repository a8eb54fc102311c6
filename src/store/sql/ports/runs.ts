/** The runs port: reads first write the transaction's kept new runs; updates of kept runs stay in memory. */
import type { RunPort } from "../../run-ports.js";
import type { RunQuery, RunRow, RunStepRow } from "../../workflow-ports.js";
import * as runs from "../runs.js";
import type { SqlSession } from "../session.js";
import { insertAllRuns } from "../unit-of-work.js";

export class SqlRuns implements RunPort {
  constructor(private readonly s: SqlSession) {}

  async getRun(workspaceId: string, id: string) {
    await this.s.uow?.flushNewRuns();
    return runs.getRun(this.s.db, this.s.d, workspaceId, id);
  }
  async getRuns(workspaceId: string, ids: readonly string[]) {
    await this.s.uow?.flushNewRuns();
    return runs.getRuns(this.s.db, this.s.d, workspaceId, ids);
  }
  async queryRuns(q: RunQuery) {
    await this.s.uow?.flushNewRuns();
    return runs.queryRuns(this.s.db, this.s.d, q);
  }
  async runCountsSince(workspaceId: string, workflowIds: readonly string[], since: string) {
    await this.s.uow?.flushNewRuns();
    return runs.runCountsSince(this.s.db, workspaceId, workflowIds, since);
  }
  async stepCountsSince(workspaceId: string, workflowId: string, version: number, since: string) {
    await this.s.uow?.flushNewRuns();
    return runs.stepCountsSince(this.s.db, this.s.d, workspaceId, workflowId, version, since);
  }
  async activeRunsOf(workspaceId: string, recordIds: readonly string[]) {
    await this.s.uow?.flushNewRuns();
    return runs.activeRunsOf(this.s.db, this.s.d, workspaceId, recordIds);
  }
  async latestRunOf(workspaceId: string, workflowId: string, recordId: string) {
    await this.s.uow?.flushNewRuns();
    return runs.latestRunOf(this.s.db, this.s.d, workspaceId, workflowId, recordId);
  }
  async versionsUnderWay(workspaceId: string) {
    await this.s.uow?.flushNewRuns();
    return runs.versionsUnderWay(this.s.db, workspaceId);
  }
  async runsOfRecords(workspaceId: string, recordIds: readonly string[]) {
    await this.s.uow?.flushNewRuns();
    return runs.runsOfRecords(this.s.db, this.s.d, workspaceId, recordIds);
  }
  listRunSteps(workspaceId: string, runId: string) {
    return runs.listRunSteps(this.s.db, this.s.d, workspaceId, runId);
  }
  async stepsOfRecord(workspaceId: string, recordId: string, limit: number) {
    await this.s.uow?.flushNewRuns();
    return runs.stepsOfRecord(this.s.db, this.s.d, workspaceId, recordId, limit);
  }
  async insertRun(run: RunRow) {
    await this.s.uow?.flushNewRuns();
    return runs.insertRun(this.s.db, this.s.d, run);
  }
  async insertRuns(list: readonly RunRow[]) {
    await this.s.uow?.flushNewRuns();
    return runs.insertRuns(this.s.db, this.s.d, list);
  }
  async insertNewRuns(list: readonly RunRow[]) {
    const uow = this.s.uow;
    if (uow) uow.keepNewRuns(list);
    else await insertAllRuns(this.s.db, this.s.d, list);
  }
  async updateRun(run: RunRow, expectedSeq: number) {
    return this.s.uow?.updateKeptRun(run, expectedSeq) ?? runs.updateRun(this.s.db, this.s.d, run, expectedSeq);
  }
  async updateRuns(updates: ReadonlyArray<{ run: RunRow; expectedSeq: number }>) {
    const uow = this.s.uow;
    if (!uow || uow.keptRuns === 0) return runs.updateRuns(this.s.db, this.s.d, updates);
    // A kept run is updated in memory (only this transaction knows it); the others in the table.
    const { written, rest } = uow.updateKeptRuns(updates);
    return written + (rest.length > 0 ? await runs.updateRuns(this.s.db, this.s.d, rest) : 0);
  }
  insertRunStep(step: RunStepRow) {
    return runs.insertRunSteps(this.s.db, this.s.d, [step]);
  }
  insertRunSteps(steps: readonly RunStepRow[]) {
    return runs.insertRunSteps(this.s.db, this.s.d, steps);
  }
}
