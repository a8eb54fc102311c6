/** The outbox view of a record (owner, company, an email's recipient) from a real store, then an email built over it. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { buildServices, type Services } from "../../src/composition/root.js";
import { buildEmailPayload, EmailPayloadError, type SendEmailAction } from "../../src/connectors/smtp/email-payload.js";
import { loadOutboxView } from "../../src/runtime/outbox-payloads.js";
import type { StoredRecord } from "../../src/store/ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const action = (to: SendEmailAction["to"]): SendEmailAction => ({
  type: "send_email",
  connector: "email",
  to,
  subject: "{{ record.last_name }} at {{ company.name }}",
  text: "{{ owner.name }}",
  reply_to_owner: true,
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`loadOutboxView on ${kind.name}`, () => {
    let t: TestStore;
    let s: Services;
    let lead: StoredRecord;
    beforeAll(async () => {
      t = await kind.open();
      s = buildServices(t.store);
      const ws = (await s.workspaces.create("acme", "Acme")).id;
      const ctx = systemContext(ws);
      const boss = await s.writer.create(ctx, "user", { name: "Max Boss", email: "max@acme.test", role: "manager" });
      const rep = await s.writer.create(ctx, "user", { name: "Bo Rep", email: "bo@acme.test", manager_id: boss.id });
      const company = await s.writer.create(ctx, "company", { name: "Engines Ltd" });
      lead = await s.writer.create(ctx, "lead", {
        last_name: "Lovelace",
        email: "ada@example.test",
        owner_id: rep.id,
        company_id: company.id,
      });
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("finds the owner, the company and the person `to` leads to", async () => {
      const built = await t.store.transaction(async (tx) => {
        const toLead = buildEmailPayload(
          action({ record_email: true }),
          await loadOutboxView(tx, lead, action({ record_email: true }), new Date().toISOString()),
          "k1",
        );
        const toBoss = buildEmailPayload(
          action({ manager_of: "owner_id" }),
          await loadOutboxView(tx, lead, action({ manager_of: "owner_id" }), new Date().toISOString()),
          "k2",
        );
        return [toLead.payload, toBoss.payload];
      });
      expect(built).toEqual([
        expect.objectContaining({ to: "ada@example.test", subject: "Lovelace at Engines Ltd", text: "Bo Rep", replyTo: "bo@acme.test" }),
        expect.objectContaining({ to: "max@acme.test" }),
      ]);
    });

    it("leaves the recipient empty when the person spec leads nowhere, and the build says so", async () => {
      const view = await t.store.transaction((tx) =>
        loadOutboxView(tx, lead, action({ team_lead_of: "owner_id" }), new Date().toISOString()),
      );
      expect(view.recipient).toBeNull();
      expect(() => buildEmailPayload(action({ team_lead_of: "owner_id" }), view, "k3")).toThrow(EmailPayloadError);
    });
  });
}
