/**
 * A template setting (a subject, a message, a body): a textarea, an "Insert a variable" picker
 * listing what this place may read ({{ record.first_name }}, and for emails the owner and the
 * company), and a live preview rendered by the server against a real record, exactly as the
 * engine would render it (POST /api/v1/workflows/preview-template). A template the engine
 * refuses shows the refusal instead of a preview.
 */
import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, useEffect, useRef, useState } from "react";
import { ApiError, api, unwrap } from "../../../../api/client";
import type { paths } from "../../../../api/schema";
import { fieldsOf, objectInfo, useKit } from "../kit";
import { PanelField } from "../PanelField";
import styles from "../panels.module.css";
import { PreviewRecordPicker, usePreviewRecord } from "./PreviewRecordPicker";
import { templateVariables } from "./templateVariables";

type PreviewBody = paths["/api/v1/workflows/preview-template"]["post"]["requestBody"] extends
  | { content: { "application/json": infer B } }
  | undefined
  ? B
  : never;
type PreviewAction = PreviewBody["action"];

export interface TemplateInputProps {
  path: string;
  label: string;
  hint?: string;
  value: string;
  onChange: (v: string) => void;
  /** The action holding the template and which of its templates it is: what it may read and how it renders. */
  action: NonNullable<PreviewAction>;
  part: string;
  /** One line (a subject) rather than a paragraph. */
  short?: boolean;
}

/** The value after the person stops typing for a moment: one preview request per pause, not per key. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

export function TemplateInput({ path, label, hint, value, onChange, action, part, short }: TemplateInputProps) {
  const kit = useKit();
  const object = kit.definition.object;
  const info = objectInfo(kit, object);
  const ref = useRef<HTMLTextAreaElement | null>(null);
  const groups = templateVariables(
    object,
    action,
    (o) => fieldsOf(kit, o),
    (o) => objectInfo(kit, o)?.label ?? o,
  );

  const insert = (variable: string) => {
    const el = ref.current;
    const tag = `{{ ${variable} }}`;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    onChange(value.slice(0, start) + tag + value.slice(end));
    // Put the caret after the inserted variable, where the person goes on typing.
    requestAnimationFrame(() => {
      if (!el) return;
      el.focus();
      el.setSelectionRange(start + tag.length, start + tag.length);
    });
  };

  return (
    <div className={styles.field}>
      <PanelField
        path={path}
        label={label}
        hint={hint ?? "Text, with variables such as {{ record.first_name }} filled in for each record."}
      >
        {(control) => (
          <textarea
            {...control}
            ref={ref}
            className={styles.textarea}
            rows={short ? 2 : 5}
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
        )}
      </PanelField>
      {kit.editable ? (
        <select
          className={styles.select}
          aria-label={`Insert a variable into ${label.toLowerCase()}`}
          value=""
          onChange={(e) => {
            if (e.target.value) insert(e.target.value);
          }}
        >
          <option value="">Insert a variable…</option>
          {groups.map((g) => (
            <optgroup key={g.label} label={g.label}>
              {g.variables.map((v) => (
                <option key={v.path} value={v.path}>
                  {v.label} — {`{{ ${v.path} }}`}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      ) : null}
      {info ? <TemplatePreview template={value} label={label} action={action} part={part} object={object} /> : null}
    </div>
  );
}

function TemplatePreview({
  template,
  label,
  action,
  part,
  object,
}: {
  template: string;
  label: string;
  action: NonNullable<PreviewAction>;
  part: string;
  object: string;
}) {
  const kit = useKit();
  const info = objectInfo(kit, object);
  const { record, loading } = usePreviewRecord(info);
  const settled = useDeferredValue(useSettled(template, 300));
  const preview = useQuery({
    queryKey: ["builder", "preview", object, record?.id, action, part, settled],
    enabled: record !== undefined && settled !== "",
    retry: false,
    staleTime: 30_000,
    queryFn: async () =>
      unwrap(
        await api.POST("/api/v1/workflows/preview-template", {
          body: { object: object as PreviewBody["object"], record_id: record?.id ?? "", template: settled, action, part },
        }),
      ).text,
  });
  const noun = info?.label.toLowerCase() ?? object;
  let body: React.ReactNode;
  if (loading) body = <span className={styles.hint}>Finding a {noun} to preview with…</span>;
  else if (!record) body = <span className={styles.hint}>There is no {noun} yet to preview with.</span>;
  else if (template === "") body = <span className={styles.hint}>Empty.</span>;
  else if (preview.error)
    body = (
      <span className={styles.error}>
        {preview.error instanceof ApiError && preview.error.status === 422 ? "This template cannot be used: " : "No preview: "}
        {preview.error.message}
      </span>
    );
  else if (preview.data !== undefined) body = <output className={styles.previewText}>{preview.data}</output>;
  else body = <span className={styles.hint}>Rendering…</span>;
  return (
    <section className={styles.preview} aria-label={`Preview of ${label.toLowerCase()}`} aria-live="polite">
      <span className={styles.hint}>{record ? `Preview for ${record.title}:` : "Preview:"}</span>
      {body}
      {info && kit.editable ? <PreviewRecordPicker object={info} /> : null}
    </section>
  );
}
