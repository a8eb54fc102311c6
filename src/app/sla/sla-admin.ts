/**
 * SLA policies as admins manage them (docs/sla.md, "SLA policies"): create, read by name or id,
 * list with each policy's open clocks, change over the version read (If-Match), switch on and
 * off, delete. Every signed-in role reads them; changing one is for admins. Every save is a new
 * version; a clock keeps the plan of the version it started on. A policy with an open clock
 * (running or paused) is not deleted: disabling it starts no new ones, and once they stopped it
 * can go — with its stopped clocks and their history. Every change is written to the
 * configuration audit.
 */
import { canAdmin } from "../../crm/permissions.js";
import { zodIssues } from "../../engine/validate.js";
import type { ConfigAuditAction } from "../../store/config-audit-ports.js";
import type { Store, StoreTx } from "../../store/ports.js";
import type { SlaPolicyDefinition, SlaPolicyRow } from "../../store/sla-ports.js";
import { auditConfigChange } from "../config-change-audit.js";
import type { CallContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import { checkIncomingJson } from "../incoming-json.js";
import type { Clock, IdGenerator } from "../ports.js";
import { checkExpectedVersion, checkSaved, nameTaken } from "../versioned-saves.js";
import { workflowsNamingSlaPolicy } from "../workflows/sla-uses.js";
import { type CalendarNames, slaPolicyIssues } from "./sla-checks.js";
import { type SlaPolicyInput, slaPolicyCreateSchema, slaPolicyPatchSchema, toDefinition } from "./sla-schemas.js";
import { type SlaPolicyView, slaPolicyView } from "./sla-views.js";

export function requireSlaAdmin(ctx: CallContext): void {
  if (!canAdmin(ctx.role, "manage_sla")) throw new AppError("forbidden", `SLA policies are managed by admins, not role ${ctx.role}`);
}

/** The parts of a policy, as the audit names what changed. */
const PARTS = [
  "name",
  "description",
  "enabled",
  "applies_when",
  "starts",
  "stops",
  "target",
  "targets_by",
  "calendar",
  "pause_when",
  "warning",
  "escalations",
] as const;

export class SlaPolicyAdmin {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    /** The workspace's calendar names, for a policy that names one. */
    private readonly calendarNames: CalendarNames,
    /** After a change commits: the clock runtime reads the policies again. */
    private readonly onChange: () => void = () => {},
  ) {}

  async list(ctx: CallContext): Promise<SlaPolicyView[]> {
    const [rows, open] = await Promise.all([
      this.store.sla.listSlaPolicies(ctx.workspaceId),
      this.store.sla.openSlaClockCounts(ctx.workspaceId),
    ]);
    return rows.map((r) => slaPolicyView(r, open.get(r.id) ?? 0));
  }

  async get(ctx: CallContext, idOrName: string): Promise<SlaPolicyView> {
    const row = await this.row(ctx, idOrName);
    const open = await this.store.sla.openSlaClockCounts(ctx.workspaceId);
    return slaPolicyView(row, open.get(row.id) ?? 0);
  }

  async create(ctx: CallContext, input: unknown): Promise<SlaPolicyView> {
    requireSlaAdmin(ctx);
    checkIncomingJson(input, []);
    const parsed = slaPolicyCreateSchema.safeParse(input);
    if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
    const definition = await this.checked(ctx, toDefinition(parsed.data));
    const now = this.clock.now().toISOString();
    const row: SlaPolicyRow = {
      workspaceId: ctx.workspaceId,
      id: this.ids.next(),
      definition,
      version: 1,
      createdAt: now,
      updatedAt: now,
      updatedBy: ctx.actor.id,
    };
    await this.store.transaction(async (tx) => {
      if (!(await tx.sla.insertSlaPolicy(row))) throw nameTaken("SLA policy", definition.name);
      await this.audit(tx, ctx, row, "create", { name: definition.name, object: definition.object, version: 1 });
    });
    this.onChange();
    return slaPolicyView(row, 0);
  }

  /**
   * A change of any part but the object; `null` unsets an optional part (applies_when,
   * targets_by, pause_when, warning). A new version: clocks already started keep theirs.
   */
  async update(ctx: CallContext, idOrName: string, input: unknown, expectedVersion?: number): Promise<SlaPolicyView> {
    requireSlaAdmin(ctx);
    const current = await this.row(ctx, idOrName);
    checkExpectedVersion("SLA policy", current.definition.name, current.version, expectedVersion);
    checkIncomingJson(input, []);
    if (typeof input === "object" && input !== null && "object" in input)
      throw invalid([
        {
          path: ["object"],
          code: "invalid_value",
          message: `a policy measures one object's records for its life (${current.definition.object}); create another policy for another object`,
        },
      ]);
    const patch = slaPolicyPatchSchema.safeParse(input);
    if (!patch.success) throw invalid(zodIssues(patch.error.issues));
    const d = current.definition;
    const merged: SlaPolicyInput = {
      name: d.name,
      description: d.description,
      object: d.object,
      enabled: d.enabled,
      applies_when: d.applies_when ?? null,
      starts: d.starts,
      stops: d.stops,
      target: d.target,
      targets_by: d.targets_by ?? null,
      calendar: d.calendar,
      pause_when: d.pause_when ?? null,
      warning: d.warning ?? null,
      escalations: d.escalations,
      ...patch.data,
    };
    const definition = await this.checked(ctx, toDefinition(merged));
    const row: SlaPolicyRow = {
      ...current,
      definition,
      version: current.version + 1,
      updatedAt: this.clock.now().toISOString(),
      updatedBy: ctx.actor.id,
    };
    const changed = PARTS.filter((k) => JSON.stringify(d[k] ?? null) !== JSON.stringify(definition[k] ?? null));
    await this.store.transaction(async (tx) => {
      // Live workflows' `sla` triggers name the policy: a new name would leave them listening to nothing.
      if (d.name !== definition.name) await refuseWhileNamed(tx, current, "renamed");
      checkSaved("SLA policy", definition.name, await tx.sla.updateSlaPolicy(row));
      await this.audit(tx, ctx, row, "update", {
        name: definition.name,
        version: row.version,
        changed,
        ...(d.name !== definition.name ? { renamed_from: d.name } : {}),
      });
    });
    this.onChange();
    return this.get(ctx, row.id);
  }

  /** Enabled: starts clocks on the object's records. Disabled: starts none (those open run on). */
  setEnabled(ctx: CallContext, idOrName: string, enabled: boolean, expectedVersion?: number): Promise<SlaPolicyView> {
    return this.update(ctx, idOrName, { enabled }, expectedVersion);
  }

  /** Refused (409) while the policy has an open clock; otherwise it goes with its stopped clocks and their history. */
  async delete(ctx: CallContext, idOrName: string): Promise<void> {
    requireSlaAdmin(ctx);
    const p = await this.row(ctx, idOrName);
    await this.store.transaction(async (tx) => {
      // The clock runtime starts a clock under the same key: no clock starts between the count and the delete.
      await tx.lockKey(slaPolicyLockKey(ctx.workspaceId, p.id));
      await refuseWhileNamed(tx, p, "deleted");
      const open = (await tx.sla.openSlaClockCounts(ctx.workspaceId)).get(p.id) ?? 0;
      if (open > 0)
        throw new AppError(
          "conflict",
          `SLA policy ${p.definition.name} has ${open} open clock(s); disable it (it then starts no new ones) and delete it once they have stopped`,
        );
      const forgotten = await tx.sla.deleteSlaPolicy(ctx.workspaceId, p.id);
      if (forgotten === undefined) throw notFound(`SLA policy ${idOrName}`);
      await this.audit(tx, ctx, p, "delete", { name: p.definition.name, version: p.version, stopped_clocks_forgotten: forgotten });
    });
    this.onChange();
  }

  private async row(ctx: CallContext, idOrName: string): Promise<SlaPolicyRow> {
    const p = await this.store.sla.getSlaPolicy(ctx.workspaceId, idOrName);
    if (!p) throw notFound(`SLA policy ${idOrName}`);
    return p;
  }

  private async checked(ctx: CallContext, d: SlaPolicyDefinition): Promise<SlaPolicyDefinition> {
    const issues = await slaPolicyIssues(this.store, ctx.workspaceId, d, this.calendarNames);
    if (issues.length > 0) throw invalid(issues);
    return d;
  }

  private async audit(tx: StoreTx, ctx: CallContext, p: SlaPolicyRow, action: ConfigAuditAction, summary: Record<string, unknown>) {
    await auditConfigChange(tx, { ids: this.ids, clock: this.clock }, ctx, {
      entity: "sla_policy",
      entityId: p.id,
      action,
      summary: summary,
    });
  }
}

/** 409 while a live workflow's `sla` trigger names the policy. */
async function refuseWhileNamed(tx: StoreTx, p: SlaPolicyRow, what: "deleted" | "renamed"): Promise<void> {
  const users = await workflowsNamingSlaPolicy(tx, p.workspaceId, p.definition.name);
  if (users.length > 0)
    throw new AppError("conflict", `SLA policy ${p.definition.name} cannot be ${what}: it is named by ${users.join(", ")}`);
}

/** The lock a policy's delete and the start of one of its clocks share. */
export const slaPolicyLockKey = (workspaceId: string, policyId: string) => `sla-policy:${workspaceId}:${policyId}`;
