/** The operational figures port: committed reads of the store only (GET /metrics). */
import type { OperationsReads } from "../../operations-ports.js";
import { operationalFigures } from "../operations.js";
import type { SqlSession } from "../session.js";

export class SqlOperations implements OperationsReads {
  constructor(private readonly s: SqlSession) {}

  operationalFigures(matcherCursor: string) {
    return operationalFigures(this.s.db, this.s.d, matcherCursor);
  }
}
