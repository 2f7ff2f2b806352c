/**
 * Splits a request body into pieces without parsing it: each top-level member, except that a
 * non-empty `messages` array gives one piece per element. Claude Code re-sends its whole
 * history every turn, so most pieces are byte-identical to pieces masked before; only the new
 * ones need JSON.parse, the walker and JSON.stringify.
 *
 * The split can start after any piece of a body (`state` says what came before), so a body
 * that begins like one seen before is split only from where it differs; the sink may stop it
 * early when the rest is known too.
 *
 * The structure between pieces is checked strictly; what is inside a piece is not (a piece is
 * parsed when it is new, or equal to bytes that parsed before). Anything unusual gives
 * "unusual" and the caller takes the ordinary parse-everything path.
 */

import { isJsonSpace, jsonStringEnd, jsonValueEnd, skipJsonSpace } from "../../json.ts";

/** What the last piece before the split point was; "start" is the beginning of the body. */
export type SplitState = "start" | "member" | "element";

export interface RawPiece {
  /** The top-level key; "messages" for each element of `messages`. */
  key: string;
  /** An element of `messages` (true) or a whole top-level member's value (false). */
  element: boolean;
  /** For elements: the first one of its array. */
  first: boolean;
  /** The raw JSON text of the value: [start, end) in the text given to splitPieces. */
  start: number;
  end: number;
}

/** Takes each piece as it is found; returns false to stop the split there. */
export type PieceSink = (piece: RawPiece) => boolean;

/** The end of the body: `}` and nothing but whitespace after it. */
const closesBody = (text: string, i: number) => text.charCodeAt(i) === 125 && skipJsonSpace(text, i + 1) === text.length;

/**
 * Splits `text`, which starts right after a piece of kind `state` (or at the body's start).
 * "end": the body ended properly; "stopped": the sink stopped it; "unusual": not a plain
 * JSON object the split understands.
 */
export function splitPieces(text: string, state: SplitState, sink: PieceSink): "end" | "stopped" | "unusual" {
  let i = skipJsonSpace(text, 0);
  if (state === "start") {
    if (text.charCodeAt(i) !== 123) return "unusual";
    i = skipJsonSpace(text, i + 1);
    if (text.charCodeAt(i) === 125) return closesBody(text, i) ? "end" : "unusual";
  } else {
    if (state === "element") {
      // Inside `messages`: another element, or the end of the array.
      if (text.charCodeAt(i) === 44) {
        const next = elements(text, skipJsonSpace(text, i + 1), false, sink);
        if (next.outcome !== "more") return next.outcome;
        i = next.at;
      } else if (text.charCodeAt(i) === 93) i = skipJsonSpace(text, i + 1);
      else return "unusual";
    }
    // After a member: another one, or the end of the body.
    const code = text.charCodeAt(i);
    if (code === 125) return closesBody(text, i) ? "end" : "unusual";
    if (code !== 44) return "unusual";
    i = skipJsonSpace(text, i + 1);
  }
  for (;;) {
    const keyEnd = text.charCodeAt(i) === 34 ? jsonStringEnd(text, i) : -1;
    if (keyEnd === -1) return "unusual";
    let key: string;
    try {
      key = JSON.parse(text.slice(i, keyEnd)) as string;
    } catch {
      return "unusual";
    }
    i = skipJsonSpace(text, keyEnd);
    if (text.charCodeAt(i) !== 58) return "unusual"; // ':'
    i = skipJsonSpace(text, i + 1);
    const arrayStart = i;
    const nonEmptyMessages = key === "messages" && text.charCodeAt(i) === 91 && text.charCodeAt(skipJsonSpace(text, i + 1)) !== 93;
    if (nonEmptyMessages) {
      const next = elements(text, skipJsonSpace(text, arrayStart + 1), true, sink);
      if (next.outcome !== "more") return next.outcome;
      i = next.at;
    } else {
      const end = jsonValueEnd(text, i);
      if (end === -1) return "unusual";
      if (!sink({ key, element: false, first: false, start: i, end })) return "stopped";
      i = skipJsonSpace(text, end);
    }
    const code = text.charCodeAt(i);
    if (code === 125) return closesBody(text, i) ? "end" : "unusual";
    if (code !== 44) return "unusual";
    i = skipJsonSpace(text, i + 1);
  }
}

/** Elements of `messages` from `i` up to and past the closing `]`; `at` is after it. */
function elements(text: string, i: number, first: boolean, sink: PieceSink): { outcome: "more" | "stopped" | "unusual"; at: number } {
  for (;;) {
    const end = jsonValueEnd(text, i);
    if (end === -1) return { outcome: "unusual", at: i };
    if (!sink({ key: "messages", element: true, first, start: i, end })) return { outcome: "stopped", at: end };
    first = false;
    i = skipJsonSpace(text, end);
    const code = text.charCodeAt(i);
    if (code === 93) return { outcome: "more", at: skipJsonSpace(text, i + 1) };
    if (code !== 44) return { outcome: "unusual", at: i };
    i = skipJsonSpace(text, i + 1);
  }
}

/** Every piece of a whole body, or undefined when it is unusual (see splitPieces). */
export function splitRequestBody(text: string): RawPiece[] | undefined {
  const pieces: RawPiece[] = [];
  const collect = (piece: RawPiece) => {
    pieces.push(piece);
    return true;
  };
  return splitPieces(text, "start", collect) === "end" ? pieces : undefined;
}
