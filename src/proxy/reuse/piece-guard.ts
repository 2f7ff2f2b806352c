/**
 * The egress guard for a body assembled from pieces (see assemble-body.ts). No original of
 * the request (raw or JSON-escaped) may stand as a token anywhere in it. A piece remembers which
 * originals it was checked for, so a re-sent history is searched only for the originals that
 * are new, and a new turn for all of them. Neighbouring pieces checked for the same set are
 * searched as one stretch, the bytes between them included.
 */
import { entityForms, escapeRegExp, isGuarded } from "../../masking/entity-forms.ts";
import { isTokenCode, tokenStartsAt } from "../../masking/boundary.ts";
import { standsAsToken } from "../../masking/originals-matcher.ts";
import type { MaskedEntity } from "../../masking/types.ts";
import type { MaskedPiece } from "./pieces.ts";

/** Bytes × forms above which one matcher pass over the decoded text is cheaper than a byte search per form. */
const MATCHER_BUDGET = 4_000_000;

/**
 * Whether one of `forms` stands as a token in `text`, for many forms over a long text: one
 * native regex pass finds where any form occurs, and only those places are checked as tokens.
 */
function tokenHit(text: string, forms: string[]): boolean {
  const anyForm = new RegExp([...forms].sort((a, b) => b.length - a.length).map(escapeRegExp).join("|"), "g");
  for (let hit = anyForm.exec(text); hit; hit = anyForm.exec(text)) {
    // The form found may be part of a longer token where a shorter form stands alone: check them all here.
    for (const form of forms) if (text.startsWith(form, hit.index) && standsAsToken(text.slice(Math.max(0, hit.index - 6), hit.index + form.length + 1), form)) return true;
    // On to the next place a token can start: a run like `aaaa…` is read once, not once per form per character.
    let next = hit.index + 1;
    while (next < text.length && isTokenCode(text.charCodeAt(next)) && !tokenStartsAt(text, next)) next++;
    anyForm.lastIndex = next;
  }
  return false;
}

/**
 * `body` is the whole masked body, `placed` where each piece's masked bytes sit in it, in
 * order; `keys` the top-level member names. Returns false on a hit.
 */
export function guardPieces(body: Buffer, placed: readonly { offset: number; piece: MaskedPiece }[], keys: string, entities: readonly MaskedEntity[]): boolean {
  // Each form once, as text (for the verified sets) and as bytes (searched natively, never re-encoded).
  const forms: string[] = [];
  const formBytes: Buffer[] = [];
  for (const entity of entities) {
    if (!isGuarded(entity.original)) continue;
    const { texts, bytes } = entityForms(entity);
    forms.push(...texts);
    formBytes.push(...bytes);
  }
  if (forms.length === 0) return true;
  // Member names are not inside any piece, so they are checked on their own.
  if (forms.some((form) => standsAsToken(keys, form))) return false;
  for (let i = 0; i < placed.length; ) {
    const verified = placed[i]!.piece.verified;
    let j = i;
    while (j + 1 < placed.length && placed[j + 1]!.piece.verified === verified) j++;
    const last = placed[j]!;
    const stretch = body.subarray(placed[i]!.offset, last.offset + last.piece.masked.length);
    const unchecked: number[] = [];
    for (let f = 0; f < forms.length; f++) if (!verified.has(forms[f]!)) unchecked.push(f);
    if (stretch.length * unchecked.length > MATCHER_BUDGET) {
      // Many forms over many bytes: one pass over the decoded text beats a native search per form.
      if (tokenHit(stretch.toString("utf8"), unchecked.map((f) => forms[f]!))) return false;
    } else if (unchecked.some((f) => standsAsToken(stretch, forms[f]!, formBytes[f]!))) return false;
    i = j + 1;
  }
  // Every piece of this body is now checked for every original of this body.
  const checked: ReadonlySet<string> = new Set(forms);
  for (const { piece } of placed) piece.verified = checked;
  return true;
}
