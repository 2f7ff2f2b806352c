/**
 * Which pieces of a request body can be reused from a remembered body and which must be
 * masked afresh. Pieces inside the shared beginning are reused as they are; the split then
 * resumes where they end and stops as soon as it reaches a piece boundary inside the shared
 * ending (everything after it is the remembered body's, shifted). Only the stretch in between
 * is decoded and split: a re-sent conversation costs its new turn, not its length.
 */
import { commonSuffix } from "./bytes.ts";
import type { MaskedPiece, RememberedBody } from "./pieces.ts";
import { splitPieces, type SplitState } from "./json-segments.ts";

export interface PlannedPiece {
  key: string;
  element: boolean;
  first: boolean;
  /** The raw value's bytes in the new body. */
  start: number;
  end: number;
  /** Set when the remembered masked piece stands for these bytes. */
  reuse?: MaskedPiece;
  /** The raw JSON text of a piece to mask afresh. */
  text?: string;
}

export interface Previous {
  body: RememberedBody;
  /** Bytes the new body shares with it from the start. */
  shared: number;
}

/** The pieces of `bytes` in order, or undefined when the body is unusual (see json-segments). */
export function planPieces(bytes: Buffer, previous: Previous | undefined, isTrusted: (piece: MaskedPiece) => boolean): PlannedPiece[] | undefined {
  const planned: PlannedPiece[] = [];
  let resume = 0;
  let state: SplitState = "start";
  const old = previous?.body.pieces ?? [];
  let reused = 0;
  while (reused < old.length && old[reused]!.end <= previous!.shared) {
    const placed = old[reused]!;
    planned.push(reusing(previous!.body, reused++, 0));
    resume = placed.end;
    state = placed.piece.element ? "element" : "member";
  }

  // Pieces of the remembered body that end inside the shared ending, by where they end in the new body.
  const aligned = new Map<number, number>();
  if (previous && reused < old.length) {
    const oldBytes = previous.body.bytes;
    const shift = bytes.length - oldBytes.length;
    const shared = commonSuffix(bytes, oldBytes, Math.min(bytes.length, oldBytes.length) - resume);
    for (let k = old.length - 1; k >= reused && old[k]!.end >= oldBytes.length - shared; k--) aligned.set(old[k]!.end + shift, k);
  }
  const adoptFrom = (k: number) => {
    const shift = bytes.length - previous!.body.bytes.length;
    for (let index = k + 1; index < old.length; index++) planned.push(reusing(previous!.body, index, shift));
  };
  const alignedAt = (offset: number, element: boolean) => {
    const k = aligned.get(offset);
    return k !== undefined && old[k]!.piece.element === element ? k : undefined;
  };

  const atResume = state === "start" ? undefined : alignedAt(resume, state === "element");
  if (atResume !== undefined) adoptFrom(atResume);
  else {
    const text = bytes.toString("utf8", resume);
    const toBytes = byteOffsets(text, bytes.length - resume);
    let adopted: number | undefined;
    const outcome = splitPieces(text, state, (raw) => {
      const start = resume + toBytes(raw.start);
      const end = resume + toBytes(raw.end);
      planned.push({ key: raw.key, element: raw.element, first: raw.first, start, end, text: text.slice(raw.start, raw.end) });
      adopted = alignedAt(end, raw.element);
      return adopted === undefined;
    });
    if (outcome === "unusual") return undefined;
    if (adopted !== undefined) adoptFrom(adopted);
  }

  // A piece trusted too long is masked through the store again.
  for (const piece of planned) {
    if (piece.reuse && !isTrusted(piece.reuse)) {
      piece.text = bytes.toString("utf8", piece.start, piece.end);
      piece.reuse = undefined;
    }
  }
  return planned;
}

/** A remembered piece, moved by `shift` bytes, standing for the same bytes in the new body. */
function reusing(body: RememberedBody, index: number, shift: number): PlannedPiece {
  const { start, end, piece } = body.pieces[index]!;
  return { key: piece.key, element: piece.element, first: piece.first, start: start + shift, end: end + shift, reuse: piece };
}

/**
 * Converts character offsets of `text` (increasing) into byte offsets of its UTF-8 form;
 * `byteLength` is that form's length. ASCII text needs no counting.
 */
function byteOffsets(text: string, byteLength: number): (index: number) => number {
  if (text.length === byteLength) return (index) => index;
  let lastIndex = 0;
  let lastByte = 0;
  return (index) => {
    lastByte += Buffer.byteLength(text.slice(lastIndex, index), "utf8");
    lastIndex = index;
    return lastByte;
  };
}
