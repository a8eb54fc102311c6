/**
 * The demo's hosted form `contact-sales` (http://localhost:3000/forms/contact-sales): a lead
 * form whose submissions enter the speed-to-lead recipe like any new lead.
 *
 * How a web lead gets its score: lead scoring proper (fit and engagement points, decay) is a
 * later issue. Until then the form's hidden defaults give every submission 45 "fit points" —
 * asking sales for contact is itself a strong signal — and mark it source "web_form". 45 is
 * above speed-to-lead's score threshold of 40, so the company size the person enters decides:
 * more than 10 employees gets an owner and a P1 call task within seconds.
 */
import type { CallContext } from "../app/context.js";
import type { Services } from "../composition/root.js";
import type { FormRow } from "../store/inbound-ports.js";

export const DEMO_FORM_KEY = "contact-sales";
/** The initial score of a web form lead (see above). */
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
