/**
 * The seat belt: before a masked request leaves, it must not contain any original that this
 * request masked. A hit means a masking bug, and a bug must not leak. (Bodies assembled from
 * re-sent pieces are checked by reuse/piece-guard.ts, with the same forms.)
 */
import { escapeRegExp, guardedForms } from "../masking/entity-forms.ts";
import type { MaskedEntity } from "../masking/types.ts";

/**
 * Compiles a search for the given forms: one regex over all of them scans a text once; an
 * `includes` per original would scan it hundreds of times on a large request.
 */
function leakFinder(byForm: ReadonlyMap<string, MaskedEntity>): (text: string) => MaskedEntity[] {
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
