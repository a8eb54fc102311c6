/** A validation rule or a gate as the API, the CLI and the page show it: its definition, a sentence, its version. */
import type { RuleDefinition } from "../../engine/rules.js";
import type { ValidationRuleRow } from "../../store/data-quality-ports.js";
import { conditionInWords } from "../workflows/condition-words.js";

export type RuleView = RuleDefinition & {
  id: string;
  /** The rule in words: "invalid when …" or "stage → proposal requires …". */
  summary: string;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
};

export function ruleSummary(d: RuleDefinition): string {
  switch (d.kind) {
    case "rule":
      return `invalid when ${conditionInWords(d.when)}`;
    case "gate":
      return `${d.field} → ${d.to.map(String).join(" or ")} requires ${conditionInWords(d.requires)}`;
  }
}

export function ruleView(row: ValidationRuleRow): RuleView {
  return {
    ...row.definition,
    id: row.id,
    summary: ruleSummary(row.definition),
    version: row.version,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    updated_by: row.updatedBy,
  };
}
