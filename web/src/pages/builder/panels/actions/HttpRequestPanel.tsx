/**
 * http_request: a call to another system through an HTTP connector (its base URL and secrets
 * live on the connector): the method, the path after the base URL and the body, templates that
 * may read the record, its owner and its company. A body given as JSON keeps its structure
 * (each string in it a template); headers and response mapping are shown as they are.
 */
import { setKey } from "../edits";
import { TemplateInput } from "../inputs/TemplateInput";
import { PanelField } from "../PanelField";
import styles from "../panels.module.css";
import type { ActionPanelProps } from "./actionProps";
import { ConnectorPicker } from "./ConnectorPicker";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** The body as the textarea shows it: a string as it is, JSON pretty-printed. */
const bodyText = (body: unknown) => (body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body, null, 2));

/** Typed text back to the body: JSON when it parses as an object or a list, else the text itself. */
function bodyOf(text: string): unknown {
  if (text.trim() === "") return undefined;
  if (/^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export function HttpRequestPanel({ action, path, save }: ActionPanelProps<"http_request">) {
  return (
    <>
      <ConnectorPicker path={path} kind="http" value={action.connector} onChange={(connector) => save({ ...action, connector })} />
      <PanelField path={`${path}.method`} label="Method">
        {(c) => (
          <select
            {...c}
            className={styles.select}
            value={action.method ?? "POST"}
            onChange={(e) => save({ ...action, method: e.target.value })}
          >
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        )}
      </PanelField>
      <TemplateInput
        path={`${path}.path`}
        label="Path after the connector's base URL"
        short
        action="http_request"
        part="path"
        value={action.path ?? ""}
        onChange={(p) => save({ ...action, path: p }, `${path}.path`)}
      />
      <TemplateInput
        path={`${path}.body`}
        label="Body"
        hint="Text, or JSON whose strings may hold variables such as {{ record.email }}."
        action="http_request"
        part="body"
        value={bodyText(action.body)}
        onChange={(text) => save(setKey(action, "body", bodyOf(text)), `${path}.body`)}
      />
      {action.headers || action.map_response ? (
        <dl className={styles.readonly}>
          {Object.entries(action.headers ?? {}).map(([k, v]) => (
            <Pair key={`h:${k}`} term={`Header ${k}`} value={v} />
          ))}
          {Object.entries(action.map_response ?? {}).map(([k, v]) => (
            <Pair key={`m:${k}`} term={`Writes ${k} from`} value={v} />
          ))}
        </dl>
      ) : null}
    </>
  );
}

function Pair({ term, value }: { term: string; value: string }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>
        <code>{value}</code>
      </dd>
    </>
  );
}
