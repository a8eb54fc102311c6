/**
 * The shapes `GET /api/v1/objects` answers for an object and its fields: types only, so that pure
 * modules (and their tests, typechecked outside the web app) can name them without the query.
 */
export type FieldType =
  | "string"
  | "text"
  | "integer"
  | "number"
  | "boolean"
  | "date"
  | "datetime"
  | "email"
  | "phone"
  | "url"
  | "enum"
  | "reference"
  | "json";

export type Operator =
  | "eq"
  | "neq"
  | "in"
  | "nin"
  | "contains"
  | "starts_with"
  | "gt"
  | "gte"
  | "lt"
  | "lte"
  | "between"
  | "is_set"
  | "is_not_set";

export interface FieldInfo {
  name: string;
  type: FieldType;
  label: string;
  required: boolean;
  managed: boolean;
  custom: boolean;
  options?: string[];
  /** For references: the objects (singular names) the id may point at. */
  references?: string[];
  /** A string that names something the workspace configures: "calendar" (a business calendar's name). */
  names?: "calendar";
  operators: Operator[];
}

export interface ObjectInfo {
  name: string;
  plural: string;
  label: string;
  fields: FieldInfo[];
}
