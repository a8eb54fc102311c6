/** send_chat: a message (template) posted through the workspace's chat connector. */
import { TemplateInput } from "../inputs/TemplateInput";
import type { ActionPanelProps } from "./actionProps";
import { ConnectorPicker } from "./ConnectorPicker";

export function SendChatPanel({ action, path, save }: ActionPanelProps<"send_chat">) {
  return (
    <>
      <ConnectorPicker
        path={path}
        kind="chat"
        value={action.connector ?? "chat"}
        onChange={(connector) => save({ ...action, connector })}
      />
      <TemplateInput
        path={`${path}.text`}
        label="Message"
        action="send_chat"
        part="text"
        value={action.text}
        onChange={(text) => save({ ...action, text }, `${path}.text`)}
      />
    </>
  );
}
