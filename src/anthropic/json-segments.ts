/**
 * Splits a request body into the raw text of its top-level members, and of each element of
 * `messages`, without parsing it. Claude Code re-sends its whole history every turn, so most
 * of these segments are byte-identical to ones masked before: their masked text can be reused
 * without JSON.parse, the walker and JSON.stringify.
 *
 * The structure between segments is checked strictly; what is inside a segment is not (a
 * segment is either parsed when it is new, or equal to a text that parsed before). Anything
 * unusual returns undefined and the caller takes the ordinary parse-everything path.
 */

export interface JsonSegment {
  /** The top-level key this segment belongs to (for `messages`, each element is a segment). */
  key: string;
  /** The raw JSON text of the value (or of one `messages` element). */
  text: string;
}

export interface SplitBody {
  /** The top-level members in order: one segment each, or one per element for `messages`. */
  members: { key: string; segments: JsonSegment[]; isMessages: boolean }[];
}

/** A JSON string literal, escapes included; sticky, so it matches only where it is placed. */
const STRING = /"[^"\\]*(?:\\.[^"\\]*)*"/y;

const isSpace = (code: number) => code === 32 || code === 10 || code === 13 || code === 9;

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function skipString(text: string, i: number): number {
  STRING.lastIndex = i;
  return STRING.test(text) ? STRING.lastIndex : -1;
}

/** End of the JSON value starting at `i`, or -1. Containers are matched by depth only. */
function skipValue(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === 34) return skipString(text, i);
  if (first === 123 || first === 91) {
    let depth = 0;
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (code === 34) {
        i = skipString(text, i);
        if (i === -1) return -1;
        continue;
      }
      if (code === 123 || code === 91) depth++;
      else if (code === 125 || code === 93) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return -1;
  }
  // A number or literal: up to the next delimiter (JSON.parse of the segment validates it).
  const start = i;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 44 || code === 125 || code === 93 || isSpace(code)) break;
    i++;
  }
  return i > start ? i : -1;
}

export function splitRequestBody(text: string): SplitBody | undefined {
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== 123) return undefined;
  i = skipSpace(text, i + 1);
  const members: SplitBody["members"] = [];
  if (text.charCodeAt(i) === 125) return skipSpace(text, i + 1) === text.length ? { members } : undefined;
  for (;;) {
    const keyEnd = text.charCodeAt(i) === 34 ? skipString(text, i) : -1;
    if (keyEnd === -1) return undefined;
    let key: string;
    try {
      key = JSON.parse(text.slice(i, keyEnd)) as string;
    } catch {
      return undefined;
    }
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== 58) return undefined; // ':'
    i = skipSpace(text, i + 1);
    if (key === "messages" && text.charCodeAt(i) === 91) {
      const segments: JsonSegment[] = [];
      i = skipSpace(text, i + 1);
      if (text.charCodeAt(i) === 93) i++;
      else {
        for (;;) {
          const end = skipValue(text, i);
          if (end === -1) return undefined;
          segments.push({ key, text: text.slice(i, end) });
          i = skipSpace(text, end);
          const code = text.charCodeAt(i);
          if (code === 44) i = skipSpace(text, i + 1);
          else if (code === 93) {
            i++;
            break;
          } else return undefined;
        }
      }
      members.push({ key, segments, isMessages: true });
    } else {
      const end = skipValue(text, i);
      if (end === -1) return undefined;
      members.push({ key, segments: [{ key, text: text.slice(i, end) }], isMessages: false });
      i = end;
    }
    i = skipSpace(text, i);
    const code = text.charCodeAt(i);
    if (code === 44) i = skipSpace(text, i + 1);
    else if (code === 125) return skipSpace(text, i + 1) === text.length ? { members } : undefined;
    else return undefined;
  }
}
