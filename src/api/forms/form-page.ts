/**
 * The hosted form as plain, self-contained HTML: labels tied to their inputs, required markers
 * with the requirement also said in words, errors next to their field (aria-invalid +
 * aria-describedby) and summarised at the top, inline CSS, no script. Every value that goes
 * into the page — admin text and what a visitor typed alike — passes through `esc`; nothing is
 * compiled as a template (engineering.md §4.2).
 */
import { type FormState, HONEYPOT_FIELD, NONCE_FIELD } from "../../app/inbound/form-submission.js";
import { assertNever } from "../../crm/never.js";
import type { FormField, FormRow } from "../../store/inbound-ports.js";

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function esc(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

const CSS = `
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f5f6f8;margin:0;padding:2rem 1rem}
main{max-width:36rem;margin:0 auto;background:#fff;border:1px solid #d8dde3;border-radius:8px;padding:2rem}
h1{font-size:1.6rem;margin:0 0 .5rem}
.intro{color:#444;margin:0 0 1.5rem;white-space:pre-line}
.field{margin:0 0 1.1rem}
label{display:block;font-weight:600;margin:0 0 .3rem}
.req{color:#b00020}
input,textarea,select{width:100%;font:inherit;padding:.55rem .65rem;border:1px solid #8a939d;border-radius:6px;background:#fff}
input[type=checkbox]{width:auto}
textarea{min-height:7rem}
input:focus,textarea:focus,select:focus,button:focus{outline:3px solid #2f6fed;outline-offset:1px}
[aria-invalid=true]{border-color:#b00020;border-width:2px}
.error{color:#b00020;margin:.3rem 0 0;font-weight:600}
.summary{border:2px solid #b00020;border-radius:6px;padding:.75rem 1rem;margin:0 0 1.5rem}
.summary h2{font-size:1.05rem;margin:0 0 .3rem}
.summary a{color:#b00020}
button{font:inherit;font-weight:600;color:#fff;background:#2f6fed;border:0;border-radius:6px;padding:.7rem 1.4rem;cursor:pointer}
.hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
.note{color:#555;font-size:.9rem}
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

const inputId = (f: FormField) => `f-${f.name}`;
const errorId = (f: FormField) => `err-${f.name}`;

function control(f: FormField, value: string, error: string | undefined): string {
  const aria = [
    f.required ? ' required aria-required="true"' : "",
    error ? ` aria-invalid="true" aria-describedby="${esc(errorId(f))}"` : "",
  ].join("");
  const common = `id="${esc(inputId(f))}" name="${esc(f.name)}"${aria}`;
  switch (f.type) {
    case "textarea":
      return `<textarea ${common}>${esc(value)}</textarea>`;
    case "select": {
      const options = (f.options ?? [])
        .map((o) => `<option value="${esc(o)}"${o === value ? " selected" : ""}>${esc(o)}</option>`)
        .join("");
      return `<select ${common}><option value="">Choose…</option>${options}</select>`;
    }
    case "checkbox":
      return `<input type="checkbox" ${common} value="yes"${value !== "" ? " checked" : ""}>`;
    case "number":
      return `<input type="text" inputmode="numeric" ${common} value="${esc(value)}">`;
    case "email":
      return `<input type="email" ${common} value="${esc(value)}" autocomplete="email">`;
    case "tel":
      return `<input type="tel" ${common} value="${esc(value)}" autocomplete="tel">`;
    case "text":
    case "url":
    case "date":
      return `<input type="${esc(f.type)}" ${common} value="${esc(value)}">`;
    default:
      return assertNever(f.type);
  }
}

function fieldBlock(f: FormField, state: FormState): string {
  const error = state.errors[f.name];
  const marker = f.required ? ' <span class="req" aria-hidden="true">*</span><span class="hp"> (required)</span>' : "";
  const message = error ? `\n<p class="error" id="${esc(errorId(f))}">${esc(error)}</p>` : "";
  return `<div class="field">
<label for="${esc(inputId(f))}">${esc(f.label)}${marker}</label>
${control(f, state.values[f.name] ?? "", error)}${message}
</div>`;
}

function summary(form: FormRow, state: FormState): string {
  const fieldErrors = form.fields.filter((f) => state.errors[f.name]);
  if (fieldErrors.length === 0 && state.general.length === 0) return "";
  const items = [
    ...fieldErrors.map((f) => `<li><a href="#${esc(inputId(f))}">${esc(state.errors[f.name])}</a></li>`),
    ...state.general.map((g) => `<li>${esc(g)}</li>`),
  ].join("");
  return `<div class="summary" role="alert">
<h2>Please correct the following:</h2>
<ul>${items}</ul>
</div>`;
}

export function formPage(form: FormRow, state: FormState): string {
  const hasRequired = form.fields.some((f) => f.required);
  return page(
    form.title,
    `<h1>${esc(form.title)}</h1>
${form.intro ? `<p class="intro">${esc(form.intro)}</p>` : ""}
${summary(form, state)}
<form method="post" action="/forms/${esc(encodeURIComponent(form.key))}" novalidate>
<input type="hidden" name="${NONCE_FIELD}" value="${esc(state.nonce)}">
${form.fields.map((f) => fieldBlock(f, state)).join("\n")}
<div class="hp" aria-hidden="true">
<label for="f-hp">Leave this field empty</label>
<input type="text" id="f-hp" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off">
</div>
${hasRequired ? '<p class="note">Fields marked <span class="req">*</span> are required.</p>' : ""}
<button type="submit">Send</button>
</form>`,
  );
}

export function thanksPage(form: FormRow): string {
  return page(form.title, `<h1>${esc(form.title)}</h1>\n<p role="status">${esc(form.successMessage)}</p>`);
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${esc(title)}</h1>\n<p>${esc(message)}</p>`);
}
