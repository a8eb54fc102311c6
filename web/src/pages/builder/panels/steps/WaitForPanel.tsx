/**
 * A wait for something: an event (a record of some object created or updated that points at this
 * record — "a call is logged" — optionally only one that meets conditions) or a condition on the
 * record becoming true, with the longest it waits before taking its timeout path.
 */

import type { StepSpec } from "../../../../components/graph/definition";
import { ConditionEditor } from "../conditions/ConditionEditor";
import { Choice } from "../inputs/Choice";
import { DurationPicker } from "../inputs/DurationPicker";
import { objectInfo, useKit } from "../kit";
import { PanelField } from "../PanelField";
import styles from "../panels.module.css";
import { type StepPanelProps, saveStep } from "./stepProps";
import { linkableObjects } from "./waitForLinks";

type WaitFor = Extract<StepSpec, { type: "wait_for" }>;

export function WaitForPanel({ id, step }: StepPanelProps<"wait_for">) {
  const kit = useKit();
  const d = kit.definition;
  const path = `steps.${id}`;
  const mode = step.event ? "event" : "condition";
  const { event: _e, condition: _c, ...base } = step;
  const save = (s: WaitFor, key?: string) => saveStep(kit, id, s, key);
  const links = linkableObjects(kit.objects, d.object);
  const event = step.event;
  const eventLinks = event ? (links.find((l) => l.object.name === event.object)?.fields ?? []) : [];
  return (
    <>
      <PanelField path={`${path}.mode`} label="Wait until">
        {(c) => (
          <select
            {...c}
            className={styles.select}
            value={mode}
            onChange={(e) => {
              if (e.target.value === "event") {
                const first = links[0];
                save({
                  ...base,
                  event: { object: first?.object.name ?? "activity", kind: "created", link: first?.fields[0]?.name ?? "related_id" },
                });
              } else save({ ...base, condition: { field: "id", op: "is_set" } });
            }}
          >
            <option value="event">A related record is created or updated</option>
            <option value="condition">A condition on the record holds</option>
          </select>
        )}
      </PanelField>
      {event ? (
        <>
          <div className={styles.row}>
            <PanelField path={`${path}.event.object`} label="A record of">
              {(c) => (
                <Choice
                  control={c}
                  value={event.object}
                  placeholder="Choose an object…"
                  options={links.map((l) => ({ value: l.object.name, label: l.object.label }))}
                  onChange={(object) =>
                    save({
                      ...base,
                      event: {
                        object,
                        kind: event.kind ?? "created",
                        link: links.find((l) => l.object.name === object)?.fields[0]?.name ?? "",
                      },
                    })
                  }
                />
              )}
            </PanelField>
            <PanelField path={`${path}.event.kind`} label="is">
              {(c) => (
                <select
                  {...c}
                  className={styles.select}
                  value={event.kind ?? "created"}
                  onChange={(e) => save({ ...base, event: { ...event, kind: e.target.value === "updated" ? "updated" : "created" } })}
                >
                  <option value="created">created</option>
                  <option value="updated">updated</option>
                </select>
              )}
            </PanelField>
          </div>
          <PanelField
            path={`${path}.event.link`}
            label={`Its field that points at this ${objectInfo(kit, d.object)?.label.toLowerCase() ?? d.object}`}
          >
            {(c) => (
              <Choice
                control={c}
                value={event.link}
                placeholder="Choose a field…"
                options={eventLinks.map((f) => ({ value: f.name, label: f.label }))}
                onChange={(link) => save({ ...base, event: { ...event, link } })}
              />
            )}
          </PanelField>
          <ConditionEditor
            path={`${path}.event.where`}
            object={event.object}
            legend="Only one where"
            empty="Any such record."
            changes={false}
            value={event.where}
            onChange={(where, key) => {
              const { where: _w, ...rest } = event;
              save({ ...base, event: where ? { ...rest, where } : rest }, key);
            }}
          />
        </>
      ) : (
        <ConditionEditor
          path={`${path}.condition`}
          object={d.object}
          legend="The record meets"
          empty="No condition yet."
          changes={false}
          required
          value={step.condition}
          onChange={(condition, key) => {
            if (condition) save({ ...base, condition }, key);
          }}
        />
      )}
      <PanelField path={`${path}.timeout`} label="Wait at most" hint="Then the run takes the “time runs out” path.">
        {(c) => (
          <DurationPicker
            control={c}
            label="Wait at most"
            value={step.timeout}
            onChange={(timeout, typed) => save({ ...step, timeout }, typed ? `${path}.timeout` : undefined)}
          />
        )}
      </PanelField>
    </>
  );
}
