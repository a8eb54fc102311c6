/**
 * `handoff user set-password <email> [-w demo]`: sets (or resets) a user's password, read from
 * stdin when it is piped (its first line) or asked for at the terminal without echo — never from
 * the command line, where it would land in shell history and the process list. Revokes the
 * user's sessions.
 */
import { createInterface } from "node:readline";
import { systemContext } from "../../app/context.js";
import { commonOptions, parse, UsageError } from "../args.js";
import { configFrom, withServices } from "./open.js";

export async function userCommand(argv: string[]) {
  const { values, positionals } = parse(argv, { ...commonOptions });
  const [action, email] = positionals;
  if (action !== "set-password") throw new UsageError("user takes set-password <email>");
  if (!email) throw new UsageError("user set-password needs the user's email");
  if (positionals.length > 2)
    throw new UsageError("user set-password reads the password from stdin or a prompt, never from the command line");
  await withServices(configFrom(values), async (s) => {
    const workspace = await s.workspaces.bySlug(values.workspace ?? "demo");
    const users = await s.store.credentials.findSignInCandidates(email, workspace.slug);
    if (users.length === 0) throw new UsageError(`no user with email ${email} in workspace "${workspace.slug}"`);
    if (users.length > 1)
      throw new UsageError(`${users.length} users have email ${email} in workspace "${workspace.slug}"; give each its own`);
    const password = await readPassword();
    const { revokedSessions } = await s.credentials.setPassword(
      systemContext(workspace.id),
      (users[0] as { userId: string }).userId,
      password,
    );
    console.log(`password set for ${email} in workspace "${workspace.slug}"; ${revokedSessions} session(s) revoked`);
  });
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return (Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "").toString();
  }
  const first = await prompt("New password: ");
  const again = await prompt("Again: ");
  if (first !== again) throw new UsageError("the two passwords differ");
  return first;
}

/** Asks on the terminal without echoing what is typed. */
function prompt(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const out = rl as unknown as { _writeToOutput: (s: string) => void };
    let asked = false;
    out._writeToOutput = (s: string) => {
      if (!asked) {
        process.stderr.write(s);
        asked = true;
      }
    };
    rl.question(question, (answer) => {
      process.stderr.write("\n");
      rl.close();
      resolve(answer);
    });
  });
}
