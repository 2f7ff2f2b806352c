/**
 * The seat belt: before a masked request leaves, it must not contain any original that this
 * request masked. A hit means a masking bug, and a bug must not leak.
 */

export interface MaskedEntity {
  type: string;
  surrogate: string;
  original: string;
}

/** Very short originals (a 6-letter password) also occur as ordinary words; they are not checked. */
export const MIN_GUARDED_LENGTH = 8;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/**
 * Returns the entities whose original still appears in `body` (raw or JSON-escaped). One regex
 * over all originals scans the body once; a `includes` per original would scan it hundreds of
 * times on a large request.
 */
export function findLeaks(body: string, entities: readonly MaskedEntity[]): MaskedEntity[] {
  const byForm = new Map<string, MaskedEntity>();
  for (const entity of entities) {
    if (entity.original.length < MIN_GUARDED_LENGTH) continue;
    byForm.set(entity.original, entity);
    byForm.set(JSON.stringify(entity.original).slice(1, -1), entity);
  }
  if (byForm.size === 0) return [];
  // Longest first, so an original that contains another is reported as itself.
  const forms = [...byForm.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(forms.map(escapeRegExp).join("|"), "g");
  const leaks = new Set<MaskedEntity>();
  for (const match of body.matchAll(pattern)) leaks.add(byForm.get(match[0])!);
  return [...leaks];
}
