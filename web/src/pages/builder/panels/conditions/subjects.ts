/**
 * What a condition can be about, in the words of the admin, for the field picker: the record's
 * own fields (custom fields included), the fields of a record it references through a reference
 * field with one target ("Company › Industry", written `company_id.industry` — the engine's
 * `lookup` reads one level through `refs`), and counts of related records (the format's `count`
 * leaf: records of another object whose `via` field points at this record, or at the record in
 * its `of` field — "Tickets of the company"). Pure.
 */
import type { LeafCondition } from "../../../../components/graph/definition";
import { type FieldInfo, type ObjectInfo, SYSTEM_FIELDS } from "../../../../records/model";

export type Subject =
  | { key: string; kind: "field"; path: string; field: FieldInfo; label: string; own: boolean }
  | { key: string; kind: "count"; count: { object: string; via: string; of?: string }; label: string };

export interface SubjectGroup {
  label: string;
  subjects: Subject[];
}

const fieldsOf = (o: ObjectInfo) => [...o.fields, ...SYSTEM_FIELDS];
const plural = (o: ObjectInfo) => o.plural.replaceAll("_", " ");

export function fieldKey(path: string): string {
  return `field:${path}`;
}

export function countKey(c: { object: string; via: string; of?: string | undefined }): string {
  return `count:${c.object}:${c.via}:${c.of ?? ""}`;
}

/** The key of a leaf's subject, to find it among the choices. */
export function subjectKeyOf(leaf: LeafCondition): string {
  if (leaf.count) return countKey(leaf.count);
  return fieldKey(leaf.field ?? "");
}

export function subjectsFor(objectName: string, objects: readonly ObjectInfo[]): SubjectGroup[] {
  const object = objects.find((o) => o.name === objectName);
  if (!object) return [];
  const byName = (n: string) => objects.find((o) => o.name === n);
  const groups: SubjectGroup[] = [
    {
      label: `This ${object.label.toLowerCase()}`,
      subjects: fieldsOf(object).map((f) => ({
        key: fieldKey(f.name),
        kind: "field",
        path: f.name,
        field: f,
        label: f.custom ? `${f.label} (custom)` : f.label,
        own: true,
      })),
    },
  ];
  const singleRefs = object.fields.filter((f) => f.type === "reference" && f.references?.length === 1);
  for (const ref of singleRefs) {
    const target = byName(ref.references?.[0] ?? "");
    if (!target) continue;
    groups.push({
      label: `Its ${ref.label.toLowerCase()} (${target.label.toLowerCase()})`,
      subjects: fieldsOf(target).map((f) => ({
        key: fieldKey(`${ref.name}.${f.name}`),
        kind: "field",
        path: `${ref.name}.${f.name}`,
        field: f,
        label: `${ref.label} › ${f.label}`,
        own: false,
      })),
    });
  }
  const counts: Subject[] = [];
  for (const other of objects) {
    for (const via of other.fields.filter((f) => f.type === "reference")) {
      if (via.references?.includes(object.name))
        counts.push({
          key: countKey({ object: other.name, via: via.name }),
          kind: "count",
          count: { object: other.name, via: via.name },
          label: `Number of ${plural(other)} whose ${via.label.toLowerCase()} is this ${object.label.toLowerCase()}`,
        });
      for (const of of singleRefs) {
        if (!via.references?.includes(of.references?.[0] ?? "")) continue;
        counts.push({
          key: countKey({ object: other.name, via: via.name, of: of.name }),
          kind: "count",
          count: { object: other.name, via: via.name, of: of.name },
          label: `Number of ${plural(other)} whose ${via.label.toLowerCase()} is its ${of.label.toLowerCase()}`,
        });
      }
    }
  }
  if (counts.length > 0) groups.push({ label: "Related records", subjects: counts });
  return groups;
}

export function findSubject(groups: readonly SubjectGroup[], key: string): Subject | undefined {
  for (const g of groups) for (const s of g.subjects) if (s.key === key) return s;
  return undefined;
}
