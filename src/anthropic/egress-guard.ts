/**
 * The seat belt: before a masked request leaves, it must not contain any original that this
 * request masked. A hit means a masking bug, and a bug must not leak.
 */
import type { MaskedTextEntry } from "./masked-text-cache.ts";

export interface MaskedEntity {
  type: string;
  surrogate: string;
  original: string;
}

/** Very short originals (a 6-letter password) also occur as ordinary words; they are not checked. */
export const MIN_GUARDED_LENGTH = 8;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** The forms an original can take in a JSON body: as it is, and JSON-escaped. */
export function guardedForms(entities: readonly MaskedEntity[]): Map<string, MaskedEntity> {
  const byForm = new Map<string, MaskedEntity>();
  for (const entity of entities) {
    if (entity.original.length < MIN_GUARDED_LENGTH) continue;
    byForm.set(entity.original, entity);
    byForm.set(JSON.stringify(entity.original).slice(1, -1), entity);
  }
  return byForm;
}

/**
 * Compiles a search for the given forms (see guardedForms): one regex over all of them scans
 * a text once; an `includes` per original would scan it hundreds of times on a large request.
 */
export function leakFinder(byForm: ReadonlyMap<string, MaskedEntity>): (text: string) => MaskedEntity[] {
  if (byForm.size === 0) return () => [];
  // Longest first, so an original that contains another is reported as itself.
  const forms = [...byForm.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(forms.map(escapeRegExp).join("|"), "g");
  return (text) => {
    const leaks = new Set<MaskedEntity>();
    for (const match of text.matchAll(pattern)) leaks.add(byForm.get(match[0])!);
    return [...leaks];
  };
}

/** The entities whose original still appears in `body` (raw or JSON-escaped). */
export function findLeaks(body: string, entities: readonly MaskedEntity[]): MaskedEntity[] {
  return leakFinder(guardedForms(entities))(body);
}

/** Characters × forms below which guardSegments searches form by form. */
const INCLUDES_BUDGET = 4_000_000;

export function guardSegments(keys: string, segments: { entry?: MaskedTextEntry; masked: string }[], entities: MaskedEntity[]): boolean {
  const forms = guardedForms(entities);
  if (forms.size === 0) return true;
  // Segments grouped by what they were checked for: never (new, or too short to cache), or a shared set.
  const groups = new Map<ReadonlySet<string>, string[]>();
  const never: ReadonlySet<string> = new Set();
  groups.set(never, [keys]);
  for (const { entry, masked } of segments) {
    const verified = entry?.verified ?? never;
    const texts = groups.get(verified) ?? [];
    texts.push(masked);
    groups.set(verified, texts);
  }
  for (const [verified, texts] of groups) {
    const unchecked = new Map([...forms].filter(([form]) => !verified.has(form)));
    if (unchecked.size === 0) continue;
    const chars = texts.reduce((sum, text) => sum + text.length, 0);
    // A regex over many forms costs ~0.3 ms to compile and JIT: for a few forms, or little
    // text (a new turn), searching each form is cheaper.
    if (chars * unchecked.size < INCLUDES_BUDGET) {
      for (const text of texts) for (const form of unchecked.keys()) if (text.includes(form)) return false;
      continue;
    }
    const find = leakFinder(unchecked);
    for (const text of texts) if (find(text).length > 0) return false;
  }
  // Every segment of this body is now checked for every original of this body.
  const checked: ReadonlySet<string> = new Set(forms.keys());
  for (const { entry } of segments) if (entry) entry.verified = checked;
  return true;
}
