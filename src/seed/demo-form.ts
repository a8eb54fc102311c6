/**
 * The demo's hosted form `contact-sales` (http://localhost:3000/forms/contact-sales): a lead
 * form whose submissions enter the speed-to-lead recipe like any new lead.
 *
 * How a web lead gets its score: the demo's `lead_score` model (demo-scoring.ts) scores it —
 * fit from its company size and country, and 35 points for asking sales for contact through this
 * form — so that a lead with more than 10 employees stands at 45. The form's hidden defaults still
 * give the new lead that 45 and source "web_form": speed-to-lead (score over 40, more than 10
 * employees) decides on the record as it was created, before the model's write lands, and a
 * submission must not depend on that order. The model then owns the field (its first write is
 * the fit, its second adds the form's points).
 */
import type { CallContext } from "../app/context.js";
import type { Services } from "../composition/root.js";
import type { FormRow } from "../store/inbound-ports.js";

export const DEMO_FORM_KEY = "contact-sales";
/** The score a web form lead is created with, before the model rescores it (see above). */
export const WEB_FORM_FIT_POINTS = 45;

export async function installDemoForm(s: Services, ctx: CallContext): Promise<FormRow> {
  // Leads have no field for a free-text message; the demo adds one as a custom field.
  await s.customFields.create(ctx, "lead", { name: "message", type: "text", label: "Message" });
  return s.inbound.forms.create(ctx, {
    key: DEMO_FORM_KEY,
    title: "Talk to sales",
    intro: "Tell us a little about your company and a rep will call you within minutes during business hours.",
    object: "lead",
    fields: [
      { name: "first_name", label: "First name", required: true },
      { name: "last_name", label: "Last name", required: true },
      { name: "email", label: "Work email", required: true },
      { name: "company_name", label: "Company", required: true },
      { name: "employee_count", label: "Number of employees", required: true },
      { name: "phone", label: "Phone (with country code)" },
      { name: "message", label: "How can we help?" },
    ],
    hidden: { source: "web_form", score: WEB_FORM_FIT_POINTS },
    success_message: "Thank you! A member of our sales team will call you shortly.",
  });
}
