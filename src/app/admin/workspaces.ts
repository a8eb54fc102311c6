/** Creating and finding workspaces (tenants). */
import { isValidTimeZone } from "../../crm/values.js";
import type { Store, Workspace } from "../../store/ports.js";
import { invalid, notFound } from "../errors.js";
import type { Clock, IdGenerator } from "../ports.js";

export class WorkspaceService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async create(slug: string, name: string, timeZone = "UTC"): Promise<Workspace> {
    if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(slug)) {
      throw invalid([{ path: ["slug"], code: "invalid_value", message: "lower-case letters, digits and -, 2–63 characters" }]);
    }
    if (!isValidTimeZone(timeZone))
      throw invalid([{ path: ["time_zone"], code: "invalid_value", message: `"${timeZone}" is not an IANA time zone` }]);
    const workspace: Workspace = { id: this.ids.next(), slug, name, timeZone, createdAt: this.clock.now().toISOString() };
    await this.store.transaction((tx) => tx.insertWorkspace(workspace));
    return workspace;
  }

  async bySlug(slug: string): Promise<Workspace> {
    const w = await this.store.getWorkspaceBySlug(slug);
    if (!w) throw notFound(`workspace "${slug}"`);
    return w;
  }

  find(slug: string): Promise<Workspace | undefined> {
    return this.store.getWorkspaceBySlug(slug);
  }
}
