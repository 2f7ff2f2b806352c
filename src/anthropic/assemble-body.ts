/**
 * Writes a masked body from its pieces, exactly as JSON.stringify would write the parsed body:
 * `{"key":value,…}`, with one `"messages":[…]` array per run of elements that starts with a
 * first one. Pieces that were neighbours in a remembered body are copied from its masked bytes
 * in one go, the glue between them included: a re-sent history is a few large copies, not a
 * few hundred small ones.
 */
import type { MaskedPiece } from "./body-history.ts";
import type { PlannedPiece } from "./piece-plan.ts";

export interface AssembledBody {
  body: Buffer;
  /** Where each piece's masked bytes start in `body`, in order. */
  placed: { offset: number; piece: MaskedPiece }[];
  /** The top-level member names, for the egress guard. */
  keys: string;
}

/** Glue between pieces, encoded once. */
const GLUE = new Map<string, Buffer>();
function glue(text: string): Buffer {
  let bytes = GLUE.get(text);
  if (bytes === undefined) {
    bytes = Buffer.from(text);
    if (GLUE.size < 256) GLUE.set(text, bytes); // keys are few; a hostile client's many are not kept
  }
  return bytes;
}

/** Whether piece i is the remembered neighbour of piece i - 1, so both come from one copy. */
const continuesRun = (planned: readonly PlannedPiece[], i: number) => {
  const [before, here] = [planned[i - 1]?.source, planned[i]!.source];
  return before !== undefined && here !== undefined && here.body === before.body && here.index === before.index + 1;
};

export function assembleBody(planned: readonly PlannedPiece[], pieces: readonly MaskedPiece[]): AssembledBody {
  const parts: Buffer[] = [];
  const placed: AssembledBody["placed"] = [];
  const keys: string[] = [];
  let length = 0;
  const push = (part: Buffer) => {
    parts.push(part);
    length += part.length;
  };
  let inArray = false;
  for (let i = 0; i < pieces.length; ) {
    const piece = pieces[i]!;
    if (!piece.element || piece.first) {
      push(glue(`${inArray ? "]" : ""}${i === 0 ? "{" : ","}${JSON.stringify(piece.key)}:${piece.element ? "[" : ""}`));
      keys.push(piece.key);
    } else push(glue(","));
    let last = i;
    while (last + 1 < pieces.length && continuesRun(planned, last + 1)) last++;
    if (last === i) {
      placed.push({ offset: length, piece });
      push(piece.masked);
    } else {
      // A run of remembered neighbours: their bytes, glue and all, as the remembered body has them.
      const { body, index } = planned[i]!.source!;
      const from = body.pieces[index]!.offset;
      const until = body.pieces[index + last - i]!;
      for (let k = i; k <= last; k++) {
        placed.push({ offset: length + body.pieces[index + k - i]!.offset - from, piece: pieces[k]! });
        if (k > i && (!pieces[k]!.element || pieces[k]!.first)) keys.push(pieces[k]!.key);
      }
      push(body.masked.subarray(from, until.offset + until.piece.masked.length));
    }
    inArray = pieces[last]!.element;
    i = last + 1;
  }
  push(glue(`${inArray ? "]" : ""}${pieces.length === 0 ? "{" : ""}}`));
  return { body: Buffer.concat(parts, length), placed, keys: keys.join("\0") };
}
