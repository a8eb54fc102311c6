/** `handoff suppressions list|add|remove`: the email suppression list of a workspace. */
import { systemContext } from "../../app/context.js";
import { commonOptions, parse, UsageError } from "../args.js";
import { configFrom, withServices } from "./open.js";

export async function suppressionsCommand(argv: string[]) {
  const { values, positionals } = parse(argv, {
    ...commonOptions,
    reason: { type: "string", default: "manual" },
    detail: { type: "string" },
    limit: { type: "string", default: "1000" },
  });
  const [action, email] = positionals;
  await withServices(configFrom(values), async (s) => {
    const workspace = await s.workspaces.bySlug(values.workspace ?? "demo");
    const ctx = systemContext(workspace.id);
    switch (action) {
      case "list": {
        const limit = Number(values.limit);
        if (!Number.isInteger(limit) || limit < 1) throw new UsageError("--limit takes a whole number");
        for (const x of await s.suppressions.list(ctx, limit)) {
          console.log(`${x.email}\t${x.reason}\t${x.createdAt}${x.detail ? `\t${x.detail}` : ""}`);
        }
        return;
      }
      case "add": {
        if (!email) throw new UsageError("suppressions add needs the address");
        const { created, suppression } = await s.suppressions.add(ctx, {
          email,
          reason: values.reason,
          ...(values.detail ? { detail: values.detail } : {}),
        });
        console.log(
          created
            ? `suppressed ${suppression.email} (${suppression.reason})`
            : `${suppression.email} was already suppressed (${suppression.reason})`,
        );
        return;
      }
      case "remove": {
        if (!email) throw new UsageError("suppressions remove needs the address");
        await s.suppressions.remove(ctx, email);
        console.log(`removed ${email.trim().toLowerCase()}`);
        return;
      }
      default:
        throw new UsageError("suppressions takes list, add or remove");
    }
  });
}
