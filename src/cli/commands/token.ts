/** `handoff token create|list|revoke`. */
import { systemContext } from "../../app/context.js";
import { commonOptions, parse, UsageError } from "../args.js";
import { configFrom, withServices } from "./open.js";

export async function tokenCommand(argv: string[]) {
  const { values, positionals } = parse(argv, {
    ...commonOptions,
    name: { type: "string" },
    role: { type: "string", default: "admin" },
    "user-id": { type: "string" },
  });
  const [action, id] = positionals;
  await withServices(configFrom(values), async (s) => {
    const workspace = await s.workspaces.bySlug(values.workspace ?? "demo");
    switch (action) {
      case "create": {
        if (!values.name) throw new UsageError("token create needs --name");
        const created = await s.tokens.create(workspace.id, values.name, values.role ?? "admin", values["user-id"] ?? null);
        console.error(`token ${created.token.id} (${created.token.role}) for workspace "${workspace.slug}" — shown once:`);
        console.log(created.secret);
        return;
      }
      case "list": {
        for (const t of await s.tokens.list(systemContext(workspace.id))) {
          console.log(`${t.id}\t${t.role}\t${t.name}\t${t.createdAt}${t.revokedAt ? `\trevoked ${t.revokedAt}` : ""}`);
        }
        return;
      }
      case "revoke": {
        if (!id) throw new UsageError("token revoke needs the token id");
        await s.tokens.revoke(systemContext(workspace.id), id);
        console.log(`revoked ${id}`);
        return;
      }
      default:
        throw new UsageError("token takes create, list or revoke");
    }
  });
}
