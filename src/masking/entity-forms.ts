/**
 * The forms an original can take inside a JSON request body: as it is, and JSON-escaped. The
 * egress guard searches a masked body for these; each entity's forms are worked out once,
 * because a re-sent history brings the same entities every turn.
 */
import { isMemorable } from "./originals-matcher.ts";
import type { MaskedEntity } from "./types.ts";

/**
 * Originals the guards look for: the ones the tenant memory remembers. A short lone word (a
 * password `master`, a value `assistant`) is also an ordinary word, or a word of the Messages
 * format itself (`"role":"assistant"`): finding it is no proof of a leak, and refusing would
 * refuse every later turn of the conversation.
 */
export const isGuarded = (original: string) => isMemorable(original);

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

export interface EntityForms {
  texts: string[];
  /** The same forms, UTF-8, for native byte search. */
  bytes: Buffer[];
}

const formsOf = new WeakMap<MaskedEntity, EntityForms>();

export function entityForms(entity: MaskedEntity): EntityForms {
  let forms = formsOf.get(entity);
  if (forms === undefined) {
    const escaped = JSON.stringify(entity.original).slice(1, -1);
    const texts = escaped === entity.original ? [escaped] : [entity.original, escaped];
    forms = { texts, bytes: texts.map((text) => Buffer.from(text)) };
    formsOf.set(entity, forms);
  }
  return forms;
}

/** Every guarded form of the given entities, with the entity it stands for. */
export function guardedForms(entities: readonly MaskedEntity[]): Map<string, MaskedEntity> {
  const byForm = new Map<string, MaskedEntity>();
  for (const entity of entities) {
    if (!isGuarded(entity.original)) continue;
    for (const form of entityForms(entity).texts) byForm.set(form, entity);
  }
  return byForm;
}
