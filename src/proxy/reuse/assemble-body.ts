/**
 * Writes a masked body from its pieces, exactly as JSON.stringify would write the parsed body:
 * `{"key":value,…}`, with one `"messages":[…]` array per run of elements that starts with a
 * first one. The body is written into a leased buffer (see body-buffers.ts).
 */
import type { BodyBuffers, BodyLease } from "./body-buffers.ts";
import type { MaskedPiece } from "./pieces.ts";

export interface AssembledBody {
  lease: BodyLease;
  /** Where each piece's masked bytes start in the body, in order. */
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

export function assembleBody(pieces: readonly MaskedPiece[], buffers: BodyBuffers): AssembledBody {
  const parts: Buffer[] = [];
  const placed: AssembledBody["placed"] = [];
  const keys: string[] = [];
  let length = 0;
  const push = (part: Buffer) => {
    parts.push(part);
    length += part.length;
  };
  let inArray = false;
  pieces.forEach((piece, i) => {
    if (!piece.element || piece.first) {
      push(glue(`${inArray ? "]" : ""}${i === 0 ? "{" : ","}${JSON.stringify(piece.key)}:${piece.element ? "[" : ""}`));
      keys.push(piece.key);
    } else push(glue(","));
    placed.push({ offset: length, piece });
    push(piece.masked);
    inArray = piece.element;
  });
  push(glue(`${inArray ? "]" : ""}${pieces.length === 0 ? "{" : ""}}`));
  const lease = buffers.acquire(length);
  let offset = 0;
  for (const part of parts) {
    lease.bytes.set(part, offset);
    offset += part.length;
  }
  return { lease, placed, keys: keys.join("\0") };
}
