/**
 * The seat belt: before a masked request leaves, it must not contain, as a token, any original
 * this request masked. A hit means a masking bug, and a bug must not leak. (Bodies assembled
 * from re-sent pieces are checked by reuse/piece-guard.ts, with the same forms.) Tokens, not
 * substrings: `deploy-production` does not leak the role `deploy-prod`, and the repair below
 * must never replace part of a longer word.
 */
import { guardedForms } from "../masking/entity-forms.ts";
import { OriginalsMatcher } from "../masking/originals-matcher.ts";
import type { MaskedEntity } from "../masking/types.ts";

export interface LeakFinder {
  /** The entities whose original stands as a token in `text` (raw or JSON-escaped). */
  leaks(text: string): MaskedEntity[];
  /** `text` with every such token replaced by its entity's surrogate. */
  repair(text: string): string;
}

export function leakFinder(entities: readonly MaskedEntity[]): LeakFinder {
  const byForm = guardedForms(entities);
  const matcher = new OriginalsMatcher();
  for (const [form, entity] of byForm) matcher.add(form, entity.type, "");
  const entityAt = (text: string, start: number, end: number) => byForm.get(text.slice(start, end))!;
  return {
    leaks: (text) => [...new Set(matcher.find(text).map(({ start, end }) => entityAt(text, start, end)))],
    repair: (text) => {
      const found = matcher.find(text);
      if (found.length === 0) return text;
      const parts: string[] = [];
      let last = 0;
      for (const { start, end } of found) {
        parts.push(text.slice(last, start), entityAt(text, start, end).surrogate);
        last = end;
      }
      parts.push(text.slice(last));
      return parts.join("");
    },
  };
}

/** The entities whose original still stands as a token in `body` (raw or JSON-escaped). */
export function findLeaks(body: string, entities: readonly MaskedEntity[]): MaskedEntity[] {
  return leakFinder(entities).leaks(body);
}
