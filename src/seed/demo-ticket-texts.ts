/**
 * Support tickets written to read like real ones, with their category, priority, plan and channel
 * (issue 24; docs/ai.md): the labelled history the ticket classifier learns from in the demo.
 *
 * Realistic means noisy: customers describe the same problem in different words, some tickets
 * say almost nothing ("Quick question"), some touch two categories ("the export fails and I was
 * charged twice"), and about one in ten was filed under another category by whoever triaged it —
 * as in any helpdesk. The classifier's honest accuracy is measured against that.
 */
import { Random } from "./random.js";

export const TICKET_CATEGORY_LABELS = ["billing", "bug", "how-to", "outage", "feature-request"] as const;
export type TicketCategory = (typeof TICKET_CATEGORY_LABELS)[number];

export interface LabelledTicket {
  subject: string;
  description: string;
  category: TicketCategory;
  priority: "P1" | "P2" | "P3" | "P4";
  plan: "starter" | "pro" | "enterprise";
  channel: "email" | "chat" | "phone" | "web";
}

const THINGS = [
  "export",
  "dashboard",
  "report",
  "CSV import",
  "API",
  "sync with Salesforce",
  "search",
  "calendar view",
  "mobile app",
  "webhook",
];
const FEATURES = [
  "dark mode",
  "custom fields on tasks",
  "a Slack integration",
  "bulk edit",
  "two-factor login",
  "audit log export",
  "SSO with Okta",
  "recurring tasks",
  "a Gantt view",
  "French translation",
];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

type Template = (r: Random) => string;
const pick = (r: Random, xs: readonly string[]) => r.pick(xs);

const SUBJECTS: Record<TicketCategory, readonly Template[]> = {
  billing: [
    (r) => `Invoice ${r.int(1000, 9999)} is wrong`,
    () => "Charged twice this month",
    () => "Refund request",
    (r) => `Question about the ${pick(r, MONTHS)} invoice`,
    () => "Update credit card on file",
    () => "VAT number missing on invoice",
    () => "Downgrade our plan",
    () => "Why did our bill go up?",
  ],
  bug: [
    (r) => `${cap(pick(r, THINGS))} shows the wrong numbers`,
    (r) => `Error when saving in the ${pick(r, THINGS)}`,
    (r) => `${cap(pick(r, THINGS))} crashes`,
    () => "Button does nothing",
    (r) => `Dates off by one day in the ${pick(r, THINGS)}`,
    () => "Duplicate records after import",
    (r) => `${cap(pick(r, THINGS))} not working since the update`,
    () => "Strange behaviour when filtering",
  ],
  "how-to": [
    (r) => `How do I set up the ${pick(r, THINGS)}?`,
    () => "How to add a new user",
    () => "Where can I change my notification settings",
    (r) => `Can I schedule the ${pick(r, THINGS)}?`,
    () => "Question about permissions",
    () => "How to merge two contacts",
    () => "Help with workflow setup",
    () => "Is there a guide for onboarding my team",
  ],
  outage: [
    () => "Site is down",
    () => "Cannot reach Handoff at all",
    () => "Everything is extremely slow right now",
    () => "502 errors for the whole team",
    () => "URGENT: nobody can log in",
    (r) => `${cap(pick(r, THINGS))} unavailable for all users`,
    () => "Service unavailable",
    () => "Is there an outage?",
  ],
  "feature-request": [
    (r) => `Feature request: ${pick(r, FEATURES)}`,
    (r) => `Would love ${pick(r, FEATURES)}`,
    (r) => `Any plans for ${pick(r, FEATURES)}?`,
    (r) => `Suggestion: ${pick(r, FEATURES)}`,
    () => "Idea to improve the reports",
    (r) => `Please add ${pick(r, FEATURES)}`,
    () => "Missing feature we need",
    () => "Wishlist for next quarter",
  ],
};

const BODIES: Record<TicketCategory, readonly Template[]> = {
  billing: [
    (r) => `We were charged $${r.int(49, 2400)} but our contract says less. Please check the invoice and send a corrected one.`,
    () => "Our card was charged twice for the same subscription period. We would like a refund of the duplicate payment.",
    (r) =>
      `The invoice for ${pick(r, MONTHS)} lists ${r.int(12, 60)} seats but we only have ${r.int(5, 11)} users. Can you credit the difference?`,
    () => "Our finance team needs the VAT number and our company address on every invoice. Can you reissue it?",
    () => "Please change the billing email to accounts payable and update the payment method before the next renewal.",
    () => "We want to move from the annual plan to monthly billing. What happens to the remaining balance?",
    () => "The price went up without notice. Can someone explain the new pricing and the charge on our statement?",
  ],
  bug: [
    (r) =>
      `When I open the ${pick(r, THINGS)} and click save, I get an error message and nothing is saved. Steps: open, edit a field, save.`,
    (r) => `Since yesterday's update the ${pick(r, THINGS)} shows totals that do not match the records. Looks like a bug.`,
    () => "After importing a CSV, several contacts appear twice with the same email. Expected the import to update them.",
    () => "Dates in the list are one day earlier than what I entered. Our time zone is Europe/Berlin.",
    (r) =>
      `The ${pick(r, THINGS)} freezes and then crashes the browser tab. It happens every time with large lists. Console shows an exception.`,
    () => "Clicking the button does nothing. No error, no change. Tried Chrome and Firefox.",
    (r) => `Filtering by owner returns records of other owners in the ${pick(r, THINGS)}. Reproducible with any filter.`,
  ],
  "how-to": [
    (r) => `I am new to Handoff. How do I configure the ${pick(r, THINGS)} for my team? Is there documentation?`,
    () => "How can I give a colleague access to only their own deals? I could not find the setting.",
    () => "What is the best way to merge two contacts that belong to the same person?",
    (r) => `Is it possible to send the ${pick(r, THINGS)} every Monday automatically? Where do I set that up?`,
    () => "Can you explain how workflows decide who gets a new lead? I want to understand the options.",
    () => "Where do I change which emails I get notified about? Thanks for the help.",
    () => "We are onboarding five new reps next week. Is there a guide or a checklist we can follow?",
  ],
  outage: [
    () => "Nobody in our company can load the app. We get a 502 Bad Gateway page. This is blocking all our sales work right now.",
    () => "The site has been down for 20 minutes for everyone in our office. Please advise urgently.",
    () => "Pages take more than a minute to load or time out completely. All users affected, all browsers.",
    () => "We cannot log in at all, the login page returns service unavailable. Is there an incident?",
    (r) => `The ${pick(r, THINGS)} has been unavailable for the whole team since this morning. Critical for us.`,
    () => "Everything stopped working at once. Is Handoff having an outage? Our status checks fail.",
  ],
  "feature-request": [
    (r) => `It would be great to have ${pick(r, FEATURES)}. Our team asks for it every week. Is it on the roadmap?`,
    (r) => `We would pay more for ${pick(r, FEATURES)}. Please consider adding it in a future release.`,
    (r) => `Suggestion from our sales team: ${pick(r, FEATURES)} would save us a lot of time.`,
    () => "Could you add a way to customise the columns in every list? That would really help us.",
    () => "Idea: let us export the reports to PDF with our logo. Not urgent, just a wish.",
    (r) => `Any plans to support ${pick(r, FEATURES)}? Competitors have it.`,
  ],
};

/** Tickets that say almost nothing: no classifier can place them, and real queues have them. */
const VAGUE_SUBJECTS = ["Quick question", "Help please", "Problem", "Following up", "Re: our call", "Issue", "Need assistance"];
const VAGUE_BODIES = [
  "Can someone call me back? Thanks.",
  "Please see the previous email.",
  "We have a problem, please contact me.",
  "Hi, I need help with something. Regards.",
];

const PRIORITY: Record<TicketCategory, ReadonlyArray<LabelledTicket["priority"]>> = {
  billing: ["P3", "P3", "P2", "P4"],
  bug: ["P2", "P2", "P3", "P1"],
  "how-to": ["P3", "P4", "P4", "P3"],
  outage: ["P1", "P1", "P1", "P2"],
  "feature-request": ["P4", "P4", "P3", "P4"],
};

const CHANNELS: Record<TicketCategory, ReadonlyArray<LabelledTicket["channel"]>> = {
  billing: ["email", "email", "web", "phone"],
  bug: ["web", "chat", "email", "web"],
  "how-to": ["chat", "chat", "web", "email"],
  outage: ["phone", "phone", "chat", "email"],
  "feature-request": ["web", "email", "web", "chat"],
};

/** How often the category recorded is another than the one the text is about (triage mistakes). */
export const MISLABEL_RATE = 0.1;
const VAGUE_RATE = 0.06;
const MIXED_RATE = 0.08;

/** `count` labelled tickets, the same for the same seed on every machine. */
export function labelledTickets(count: number, seed = 24): LabelledTicket[] {
  const r = new Random(seed);
  // Not uniform: most tickets are how-to and bugs, as in most helpdesks.
  const weights: Array<[TicketCategory, number]> = [
    ["how-to", 0.3],
    ["bug", 0.27],
    ["billing", 0.2],
    ["feature-request", 0.14],
    ["outage", 0.09],
  ];
  const out: LabelledTicket[] = [];
  for (let i = 0; i < count; i++) {
    const about = weighted(r, weights);
    let subject = r.pick(SUBJECTS[about])(r);
    let description = r.pick(BODIES[about])(r);
    if (r.chance(VAGUE_RATE)) {
      subject = r.pick(VAGUE_SUBJECTS);
      description = r.pick(VAGUE_BODIES);
    } else if (r.chance(MIXED_RATE)) {
      const other = r.pick(TICKET_CATEGORY_LABELS.filter((c) => c !== about));
      description = `${description} Also: ${r.pick(BODIES[other])(r)}`;
    }
    const category = r.chance(MISLABEL_RATE) ? r.pick(TICKET_CATEGORY_LABELS.filter((c) => c !== about)) : about;
    out.push({
      subject,
      description,
      category,
      priority: r.pick(PRIORITY[about]),
      plan: r.pick(["starter", "starter", "pro", "pro", "enterprise"] as const),
      channel: r.pick(CHANNELS[about]),
    });
  }
  return out;
}

function weighted<T>(r: Random, weights: ReadonlyArray<[T, number]>): T {
  let x = r.next();
  for (const [v, w] of weights) {
    x -= w;
    if (x < 0) return v;
  }
  return (weights.at(-1) as [T, number])[0];
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
