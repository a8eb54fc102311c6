/**
 * The scoring model editor, for a new model and a new version of an existing one: its name and
 * the fields it writes, the fit groups (rules over the record and its company), the engagement
 * groups (rules over activities, forms and hooks) and how their points fade, then how fit and
 * engagement combine. "Preview" scores the existing records under what is typed, without
 * writing anything, and shows the distribution and how many scores move; "Publish" (with a note)
 * makes it the model's next version, which rescores the records in the background.
 *
 * The server decides what is valid: a refused preview or publish keeps everything typed and
 * shows each problem by the control its path names, all of them listed at the top too.
 */
import { useMutation } from "@tanstack/react-query";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { ApiError } from "../../api/client";
import { ui } from "../../components/ui";
import type { ObjectInfo } from "../../records/model";
import type { Problem } from "../builder/model/problems";
import { PanelField } from "../builder/panels/PanelField";
import { ConditionKit } from "../routing/ConditionKit";
import { dottedProblems } from "../routing/rule-edit";
import { Problems } from "../sla/parts";
import { type ModelDetail, type Preview, previewModel, type ScoreDefinition } from "./data";
import { definitionOf, emptyGroup, type GroupDraft, type ModelDraft, modelKeyFrom, type Scope } from "./draft";
import { GroupEditor } from "./GroupEditor";
import { PreviewResult } from "./PreviewResult";
import type { Source } from "./sources";
import { styles } from "./styles";

export interface ModelFormProps {
  initial: ModelDraft;
  /** The model a new version is made of; undefined for a new model (its key and object can still be chosen). */
  model: ModelDetail | undefined;
  objects: readonly ObjectInfo[];
  sources: readonly Source[];
  editable: boolean;
  publish: (definition: ScoreDefinition, note: string) => Promise<ModelDetail>;
  publishLabel: string;
  /** With the model as the server answered (its key: a new model's page is found by it). */
  onPublished: (model: ModelDetail) => void;
}

/** The server names paths in the body (`definition.fit.groups[0].cap`); the controls are named from the definition. */
const problemsOf = (error: unknown): Problem[] => dottedProblems(error).map((p) => ({ ...p, path: p.path.replace(/^definition\./, "") }));

const WHERE: Record<string, string> = {
  key: "Key",
  name: "Name",
  object: "Records",
  fields: "Fields it writes",
  fit: "Fit",
  engagement: "Engagement",
  weights: "Weights",
  total_cap: "Cap on the total",
  note: "Note",
};
/**
 * Where a problem is, as the page names it: "Fit › Company › 300+ employees" for
 * `fit.groups.0.rules.1.points` (the group and rule by the labels typed), the section otherwise.
 */
function where(path: string, draft: ModelDraft): string {
  const [top = path, , g, , r] = path.split(".");
  const section = WHERE[top] ?? top;
  if ((top !== "fit" && top !== "engagement") || g === undefined) return section;
  const group = (top === "fit" ? draft.fitGroups : draft.engagementGroups)[Number(g)];
  if (!group) return section;
  const groupName = group.label.trim() || `Group ${Number(g) + 1}`;
  const rule = r === undefined ? undefined : group.rules[Number(r)];
  const ruleName = rule ? rule.label.trim() || `Rule ${Number(r) + 1}` : undefined;
  return [section, groupName, ...(ruleName ? [ruleName] : [])].join(" › ");
}

function Section({ id, title, hint, children }: { id: string; title: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <section className={styles.card} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {hint ? <p className={styles.muted}>{hint}</p> : null}
      {children}
    </section>
  );
}

const numberFields = (o: ObjectInfo | undefined) => (o?.fields ?? []).filter((f) => f.type === "integer" || f.type === "number");

export function ModelForm({ initial, model, objects, sources, editable, publish, publishLabel, onPublished }: ModelFormProps) {
  const [draft, setDraft] = useState(initial);
  const [note, setNote] = useState("");
  // What the preview was of: a preview older than the draft says so rather than passing for it.
  const [previewed, setPreviewed] = useState<{ draft: ModelDraft; sent: ScoreDefinition; result: Preview } | null>(null);
  const preview = useMutation({
    // A model not yet created previews through the new-model route (its key does not exist yet).
    mutationFn: async () => {
      const sent = definitionOf(withKey(draft));
      return { sent, result: await previewModel(model?.key, sent) };
    },
    onSuccess: ({ sent, result }) => setPreviewed({ draft, sent, result }),
  });
  const published = useMutation({
    mutationFn: () => publish(definitionOf(withKey(draft)), note),
    onSuccess: (saved) => {
      setNote("");
      onPublished(saved);
    },
  });
  const error = published.error ?? preview.error;
  const problems = problemsOf(error);
  const update = (patch: Partial<ModelDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const object = objects.find((o) => o.name === draft.object);
  const one = object?.label.toLowerCase() ?? draft.object;
  const scorable = objects.filter((o) => numberFields(o).length > 0);
  const alert = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) alert.current?.focus();
  }, [error]);
  const stale = previewed !== null && previewed.draft !== draft;

  const groups = (scope: Scope) => (scope === "fit" ? draft.fitGroups : draft.engagementGroups);
  const setGroups = (scope: Scope, next: GroupDraft[]) => update(scope === "fit" ? { fitGroups: next } : { engagementGroups: next });
  const groupList = (scope: Scope) => (
    <>
      <Problems path={`${scope}.groups`} exact />
      {groups(scope).length === 0 ? (
        <p className={styles.muted}>
          {scope === "fit" ? "No fit groups: fit is 0 for every record." : "No engagement groups: engagement is 0 for every record."}
        </p>
      ) : null}
      {groups(scope).map((g, i) => (
        <GroupEditor
          // biome-ignore lint/suspicious/noArrayIndexKey: groups have no identity before they are sent; the index is their path
          key={`${scope}-${i}`}
          scope={scope}
          index={i}
          group={g}
          object={draft.object}
          objects={objects}
          sources={sources}
          onChange={(next) =>
            setGroups(
              scope,
              groups(scope).map((x, j) => (j === i ? next : x)),
            )
          }
          onRemove={() =>
            setGroups(
              scope,
              groups(scope).filter((_, j) => j !== i),
            )
          }
        />
      ))}
      {editable ? (
        <div>
          <button type="button" className={styles.small} onClick={() => setGroups(scope, [...groups(scope), emptyGroup(scope)])}>
            Add a {scope} group
          </button>
        </div>
      ) : null}
    </>
  );

  return (
    <ConditionKit objects={objects} problems={problems} editable={editable}>
      <form
        className={styles.page}
        noValidate
        aria-label={model ? `Edit ${model.name}` : "New scoring model"}
        onSubmit={(e) => {
          e.preventDefault();
          published.mutate();
        }}
      >
        {error ? (
          <div role="alert" className={ui.alert} ref={alert} tabIndex={-1}>
            <strong>
              {published.error ? "Not published" : "No preview"}:{" "}
              {error instanceof ApiError ? (error.problem?.detail ?? error.message) : error.message}.
            </strong>
            {problems.length > 0 ? (
              <>
                <ul>
                  {problems.map((p) => (
                    <li key={`${p.path}:${p.message}`}>
                      {where(p.path, draft)}: {p.message}
                    </li>
                  ))}
                </ul>
                Each problem is also shown by its setting below; what you typed is kept.
              </>
            ) : error instanceof ApiError && error.status === 403 ? (
              " Only admins change scoring models."
            ) : null}
          </div>
        ) : null}

        <Section id="model-name" title="Name and records">
          <PanelField path="name" label="Name" hint="Shown in the list and on each record's Score panel.">
            {(c) => (
              <input
                {...c}
                className={styles.input}
                value={draft.name}
                maxLength={120}
                onChange={(e) => update({ name: e.target.value })}
              />
            )}
          </PanelField>
          {model ? null : (
            <PanelField
              path="key"
              label="Key"
              hint={`Used in the API and the CLI; fixed once created. Empty: “${modelKeyFrom(draft.name || "Lead score")}”.`}
            >
              {(c) => (
                <input {...c} className={styles.input} value={draft.key} maxLength={64} onChange={(e) => update({ key: e.target.value })} />
              )}
            </PanelField>
          )}
          <PanelField
            path="object"
            label="Records it scores"
            hint={model ? "Fixed once the model exists." : "Fixed once the model is created."}
          >
            {(c) => (
              <select
                {...c}
                disabled={c.disabled || model !== undefined}
                className={styles.select}
                value={draft.object}
                onChange={(e) => {
                  const next = e.target.value;
                  // Fields, conditions and AI models belong to the object: what named the old one's starts again.
                  setDraft((d) => ({
                    ...d,
                    object: next,
                    total: "",
                    fit: "",
                    engagement: "",
                    fitGroups: d.fitGroups.map((g) => ({ ...g, rules: g.rules.map((r) => ({ ...r, when: undefined, prediction: "" })) })),
                  }));
                }}
              >
                {scorable.map((o) => (
                  <option key={o.name} value={o.name}>
                    {o.label}
                  </option>
                ))}
              </select>
            )}
          </PanelField>
          <fieldset className={styles.fieldset}>
            <legend>Fields it writes</legend>
            <span className={styles.hint}>
              Number fields of the {one}; no other enabled model may write them. Add one under Access → custom fields if none fits.
            </span>
            {(
              [
                ["total", "Total score", "The combined score (required): what lists, workflows and thresholds use."],
                ["fit", "Fit score", "Optional: the fit part on its own."],
                ["engagement", "Engagement score", "Optional: the engagement part on its own."],
              ] as const
            ).map(([k, label, hint]) => (
              <PanelField key={k} path={`fields.${k}`} label={label} hint={hint}>
                {(c) => (
                  <select {...c} className={styles.select} value={draft[k]} onChange={(e) => update({ [k]: e.target.value })}>
                    <option value="">{k === "total" ? "Choose a number field…" : "Not written"}</option>
                    {numberFields(object).map((f) => (
                      <option key={f.name} value={f.name}>
                        {f.custom ? `${f.label} (custom)` : f.label}
                      </option>
                    ))}
                  </select>
                )}
              </PanelField>
            ))}
          </fieldset>
        </Section>

        <Section
          id="model-fit"
          title="Fit: who they are"
          hint={`Points while a condition on the ${one} (or its company) holds; they come and go as its fields change. A group gives at most its cap.`}
        >
          {groupList("fit")}
        </Section>

        <Section
          id="model-engagement"
          title="Engagement: what they do"
          hint={`Points each time something happens on the ${one}: an activity logged, a form submitted, a hook delivery. A group gives at most its cap at any moment.`}
        >
          {groupList("engagement")}
          <fieldset className={styles.fieldset}>
            <legend>How engagement points fade</legend>
            {(
              [
                ["none", "They never fade"],
                ["half_life", "They halve every N days (half-life)"],
                ["expires", "They count in full for N days, then drop to nothing"],
              ] as const
            ).map(([d, label]) => (
              <label key={d} className={styles.radio}>
                <input type="radio" name="decay" disabled={!editable} checked={draft.decay === d} onChange={() => update({ decay: d })} />
                {label}
              </label>
            ))}
            {draft.decay === "none" ? (
              <Problems path="engagement.decay" />
            ) : (
              <PanelField
                path={`engagement.decay.${draft.decay === "half_life" ? "half_life_days" : "expires_after_days"}`}
                label={draft.decay === "half_life" ? "Half-life in days" : "Days until points expire"}
              >
                {(c) => (
                  <input
                    {...c}
                    className={styles.number}
                    inputMode="decimal"
                    value={draft.decayDays}
                    onChange={(e) => update({ decayDays: e.target.value })}
                  />
                )}
              </PanelField>
            )}
          </fieldset>
        </Section>

        <Section
          id="model-total"
          title="Combining fit and engagement"
          hint="Total = fit × fit weight + engagement × engagement weight, at most the cap, rounded to a whole number."
        >
          <div className={styles.row}>
            <PanelField path="weights.fit" label="Fit weight">
              {(c) => (
                <input
                  {...c}
                  className={styles.number}
                  inputMode="decimal"
                  value={draft.weightFit}
                  onChange={(e) => update({ weightFit: e.target.value })}
                />
              )}
            </PanelField>
            <PanelField path="weights.engagement" label="Engagement weight">
              {(c) => (
                <input
                  {...c}
                  className={styles.number}
                  inputMode="decimal"
                  value={draft.weightEngagement}
                  onChange={(e) => update({ weightEngagement: e.target.value })}
                />
              )}
            </PanelField>
            <PanelField path="total_cap" label="Cap on the total" hint="Empty for no cap.">
              {(c) => (
                <input
                  {...c}
                  className={styles.number}
                  inputMode="decimal"
                  value={draft.totalCap}
                  onChange={(e) => update({ totalCap: e.target.value })}
                />
              )}
            </PanelField>
          </div>
        </Section>

        {editable ? (
          <Section
            id="model-publish"
            title="Preview, then publish"
            hint={`Preview scores every existing ${one} under the model as typed above, without writing anything. Publishing makes it ${model ? `version ${model.version + 1}` : "version 1"} and rescores them in the background.`}
          >
            <div>
              <button type="button" className={ui.secondary} disabled={preview.isPending} onClick={() => preview.mutate()}>
                {preview.isPending ? "Scoring the records…" : previewed ? "Preview again" : "Preview the scores"}
              </button>
            </div>
            {previewed ? (
              <PreviewResult
                preview={previewed.result}
                definition={previewed.sent}
                stale={stale}
                objectLabel={object?.label ?? draft.object}
              />
            ) : null}
            <PanelField path="note" label="What changed and why" hint="Kept with the version; shown in the versions list.">
              {(c) => <textarea {...c} className={styles.prose} value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />}
            </PanelField>
            <div className={styles.row}>
              <button type="submit" className={ui.button} disabled={published.isPending}>
                {published.isPending ? "Publishing…" : publishLabel}
              </button>
            </div>
          </Section>
        ) : null}
      </form>
    </ConditionKit>
  );
}

/** A new model's key from its name when none was typed (the server checks it). */
const withKey = (d: ModelDraft): ModelDraft => (d.key.trim() ? d : { ...d, key: modelKeyFrom(d.name) });
