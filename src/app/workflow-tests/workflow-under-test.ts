/** The workflow a test run runs (issue 19). */
import type { WorkflowDefinition } from "../../engine/definition.js";

/** The workflow under test: which one, and which definition of it. */
export interface WorkflowUnderTest {
  id: string;
  key: string;
  name: string;
  /** The version tested (a draft's number for a draft; 0 for an inline definition of the CLI). */
  version: number;
  /** Where the definition came from, for the result. */
  source: "draft" | "version" | "file";
  definition: WorkflowDefinition;
  /** The definition as saved (what the version row keeps). */
  raw: unknown;
}
