/**
 * The egress guard for a body assembled from pieces (see assemble-body.ts). No original of
 * the request (raw or JSON-escaped) may stand as a token anywhere in it. A piece remembers which
 * originals it was checked for, so a re-sent history is searched only for the originals that
 * are new, and a new turn for all of them. Neighbouring pieces checked for the same set are
 * searched as one stretch, the bytes between them included.
 */
import { entityForms, isGuarded } from "../../masking/entity-forms.ts";
import { OriginalsMatcher, standsAsToken } from "../../masking/originals-matcher.ts";
import type { MaskedEntity } from "../../masking/types.ts";
import type { MaskedPiece } from "./pieces.ts";

/** Bytes × forms above which one matcher pass over the decoded text is cheaper than a byte search per form. */
const MATCHER_BUDGET = 4_000_000;

/** Whether one of `forms` stands as a token in `text`: one matcher pass, for many forms over a long text. */
function tokenHit(text: string, forms: string[]): boolean {
  const matcher = new OriginalsMatcher();
  for (const form of forms) matcher.add(form, "", "");
  return matcher.find(text).length > 0;
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
