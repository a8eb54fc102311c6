/** The OpenAPI document's two building blocks every route file uses: a JSON body, a problem. */
import { z } from "@hono/zod-openapi";

export const json = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });

export const problemJson = (description: string) => ({ description, content: { "application/problem+json": { schema: z.unknown() } } });
