/**
 * The action panels: one per action type of the format, typed over the union so that an action
 * without a panel (or a panel left out) is a compile error.
 */
import type { ComponentType } from "react";
import type { ActionSpec } from "../../../../components/graph/definition";
import { AddActivityPanel } from "./AddActivityPanel";
import { AssignOwnerPanel } from "./AssignOwnerPanel";
import type { ActionPanelProps } from "./actionProps";
import { ChangeScorePanel } from "./ChangeScorePanel";
import { CreateRecordPanel } from "./CreateRecordPanel";
import { CreateTaskPanel } from "./CreateTaskPanel";
import { HttpRequestPanel } from "./HttpRequestPanel";
import { MergeRecordsPanel } from "./MergeRecordsPanel";
import { NotifyPanel } from "./NotifyPanel";
import { ReviewQueuePanel } from "./ReviewQueuePanel";
import { SendChatPanel } from "./SendChatPanel";
import { SendEmailPanel } from "./SendEmailPanel";
import { UpdateFieldsPanel } from "./UpdateFieldsPanel";
import { EnrollPanel, UnenrollPanel } from "./WorkflowPickPanel";

export const ACTION_PANELS: { [K in ActionSpec["type"]]: ComponentType<ActionPanelProps<K>> } = {
  update_fields: UpdateFieldsPanel,
  create_task: CreateTaskPanel,
  create_record: CreateRecordPanel,
  assign_owner: AssignOwnerPanel,
  add_activity: AddActivityPanel,
  change_score: ChangeScorePanel,
  enroll: EnrollPanel,
  unenroll: UnenrollPanel,
  notify: NotifyPanel,
  add_to_review_queue: ReviewQueuePanel,
  merge_records: MergeRecordsPanel,
  send_chat: SendChatPanel,
  send_email: SendEmailPanel,
  http_request: HttpRequestPanel,
};
