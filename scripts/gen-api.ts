/** `npm run gen:api`: writes web/src/api/schema.d.ts from the API's OpenAPI document (see api-schema.ts). */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { SCHEMA_FILE, schemaSource } from "./api-schema.js";

const target = resolve(import.meta.dirname, "..", SCHEMA_FILE);
writeFileSync(target, await schemaSource());
console.log(`wrote ${SCHEMA_FILE}`);
