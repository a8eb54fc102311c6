/**
 * Conformance of the inbound storage (hooks, forms, deliveries, webhook subscriptions) and of
 * the event `source`, on SQLite and a real PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FormRow, InboundDeliveryRow, InboundHookRow, WebhookSubscriptionRow } from "../../src/store/inbound-ports.js";
import type { Store } from "../../src/store/ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const T0 = "2026-01-01T00:00:00.000Z";
const T1 = "2026-01-02T00:00:00.000Z";

const hook = (workspaceId: string, id: string, key: string): InboundHookRow => ({
  workspaceId,
  id,
  key,
  name: `Hook ${key}`,
  object: "lead",
  mapping: { email: "/contact/email" },
  defaults: { source: "webhook" },
  matchOn: "email",
  secretSealed: "sealed-1",
  previousSecretSealed: null,
  previousExpiresAt: null,
  ratePerMin: 60,
  createdAt: T0,
  updatedAt: T0,
});

const form = (workspaceId: string, id: string, key: string): FormRow => ({
  workspaceId,
  id,
  key,
  title: "Contact sales",
  intro: "We answer within minutes.",
  object: "lead",
  fields: [{ name: "email", label: "Email", type: "email", required: true }],
  hidden: { source: "web_form", score: 45 },
  successMessage: "Thanks!",
  ratePerMin: 30,
  createdAt: T0,
  updatedAt: T0,
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`inbound store conformance: ${kind.name}`, () => {
    let t: TestStore;
    let store: Store;
    const ws = "ws-a";
    const other = "ws-b";

    beforeAll(async () => {
      t = await kind.open();
      store = t.store;
      await store.transaction(async (tx) => {
        await tx.workspaces.insertWorkspace({ id: ws, slug: "a", name: "A", timeZone: "UTC", createdAt: T0 });
        await tx.workspaces.insertWorkspace({ id: other, slug: "b", name: "B", timeZone: "UTC", createdAt: T0 });
      });
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("stores hooks under a globally unique key, updates and deletes them per workspace", async () => {
      expect(await store.transaction((tx) => tx.hooks.insertInboundHook(hook(ws, "h1", "signup")))).toBe(true);
      // The key is global: another workspace cannot take it.
      expect(await store.transaction((tx) => tx.hooks.insertInboundHook(hook(other, "h2", "signup")))).toBe(false);
      expect(await store.hooks.getInboundHookByKey("signup")).toEqual(hook(ws, "h1", "signup"));
      const rotated = {
        ...hook(ws, "h1", "signup"),
        secretSealed: "sealed-2",
        previousSecretSealed: "sealed-1",
        previousExpiresAt: T1,
        updatedAt: T1,
      };
      await store.transaction((tx) => tx.hooks.updateInboundHook(rotated));
      expect(await store.hooks.getInboundHookByKey("signup")).toEqual(rotated);
      await store.transaction((tx) => tx.hooks.insertInboundHook({ ...hook(ws, "h3", "plain"), mapping: null, matchOn: null }));
      expect((await store.hooks.listInboundHooks(ws)).map((h) => [h.key, h.mapping])).toEqual([
        ["plain", null],
        ["signup", { email: "/contact/email" }],
      ]);
      expect(await store.hooks.listInboundHooks(other)).toEqual([]);
      expect(await store.transaction((tx) => tx.hooks.deleteInboundHook(other, "h3"))).toBe(false);
      expect(await store.transaction((tx) => tx.hooks.deleteInboundHook(ws, "h3"))).toBe(true);
      expect(await store.hooks.getInboundHookByKey("plain")).toBeUndefined();
    });

    it("stores forms with their fields and hidden defaults", async () => {
      expect(await store.transaction((tx) => tx.forms.insertForm(form(ws, "f1", "contact-sales")))).toBe(true);
      expect(await store.transaction((tx) => tx.forms.insertForm(form(other, "f2", "contact-sales")))).toBe(false);
      expect(await store.forms.getFormByKey("contact-sales")).toEqual(form(ws, "f1", "contact-sales"));
      const changed = { ...form(ws, "f1", "contact-sales"), title: "Talk to us", hidden: { source: "web_form" }, updatedAt: T1 };
      await store.transaction((tx) => tx.forms.updateForm(changed));
      expect(await store.forms.getFormByKey("contact-sales")).toEqual(changed);
      expect((await store.forms.listForms(ws)).map((f) => f.key)).toEqual(["contact-sales"]);
      expect(await store.transaction((tx) => tx.forms.deleteForm(ws, "f1"))).toBe(true);
      expect(await store.forms.listForms(ws)).toEqual([]);
    });

    it("accepts a delivery id once per source: the second insert writes nothing and the first is read back", async () => {
      const d: InboundDeliveryRow = {
        workspaceId: ws,
        sourceKind: "hook",
        sourceId: "h1",
        deliveryId: "msg_1",
        receivedAt: T0,
        recordId: "r1",
        action: "created",
        eventId: "e1",
      };
      expect(await store.transaction((tx) => tx.inboundDeliveries.insertInboundDelivery(d))).toBe(true);
      expect(await store.transaction((tx) => tx.inboundDeliveries.insertInboundDelivery({ ...d, recordId: "r2", eventId: "e2" }))).toBe(
        false,
      );
      expect(await store.inboundDeliveries.getInboundDelivery("h1", "msg_1")).toEqual(d);
      // The same delivery id through another source is another delivery.
      expect(
        await store.transaction((tx) => tx.inboundDeliveries.insertInboundDelivery({ ...d, sourceId: "f1", sourceKind: "form" })),
      ).toBe(true);
      expect(await store.inboundDeliveries.getInboundDelivery("h1", "msg_2")).toBeUndefined();
    });

    it("a delivery rolled back with its transaction leaves no row", async () => {
      const d: InboundDeliveryRow = {
        workspaceId: ws,
        sourceKind: "form",
        sourceId: "f9",
        deliveryId: "n1",
        receivedAt: T0,
        recordId: "r1",
        action: "created",
        eventId: "e1",
      };
      await expect(
        store.transaction(async (tx) => {
          await tx.inboundDeliveries.insertInboundDelivery(d);
          throw new Error("the record write failed");
        }),
      ).rejects.toThrow("the record write failed");
      expect(await store.inboundDeliveries.getInboundDelivery("f9", "n1")).toBeUndefined();
    });

    it("stores webhook subscriptions per workspace; a transaction sees its own changes to them", async () => {
      const sub: WebhookSubscriptionRow = {
        workspaceId: ws,
        id: "s1",
        url: "https://example.com/hook",
        description: "CRM mirror",
        events: ["lead.created", "*.deleted"],
        secretSealed: "sealed",
        active: true,
        createdAt: T0,
        updatedAt: T0,
      };
      await store.transaction(async (tx) => {
        expect(await tx.subscriptions.listWebhookSubscriptions(ws)).toEqual([]);
        await tx.subscriptions.insertWebhookSubscription(sub);
        expect(await tx.subscriptions.listWebhookSubscriptions(ws)).toEqual([sub]);
        await tx.subscriptions.updateWebhookSubscription({ ...sub, active: false, updatedAt: T1 });
        expect((await tx.subscriptions.listWebhookSubscriptions(ws))[0]?.active).toBe(false);
      });
      expect(await store.subscriptions.getWebhookSubscription(ws, "s1")).toEqual({ ...sub, active: false, updatedAt: T1 });
      expect(await store.subscriptions.getWebhookSubscription(other, "s1")).toBeUndefined();
      expect(await store.subscriptions.listWebhookSubscriptions(other)).toEqual([]);
      expect(await store.transaction((tx) => tx.subscriptions.deleteWebhookSubscription(ws, "s1"))).toBe(true);
      expect(await store.subscriptions.listWebhookSubscriptions(ws)).toEqual([]);
    });

    it("keeps the source of external.received events and none on record events", async () => {
      const base = {
        workspaceId: ws,
        object: "lead" as const,
        recordId: "r1",
        recordVersion: 1,
        actor: { kind: "integration" as const, id: "hook:signup" },
        causeId: null,
        changes: [],
        occurredAt: T0,
        depth: 0,
      };
      const before = await store.events.lastEventPosition();
      await store.transaction(async (tx) => {
        await tx.events.appendEvents([
          { ...base, id: "ev-rec", type: "record.created" },
          { ...base, id: "ev-ext", type: "external.received", source: "signup" },
        ]);
      });
      const events = await store.events.readEvents(before, 10, ws);
      expect(events.map((e) => [e.type, e.source])).toEqual([
        ["record.created", undefined],
        ["external.received", "signup"],
      ]);
      expect("source" in (events[0] ?? {})).toBe(false);
    });
  });
}
