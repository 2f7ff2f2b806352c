/** Parsing a request body that must be a JSON object, with errors that never quote the body. */
import { badRequest } from "./errors.ts";

/**
 * How deeply a request's arrays and objects may nest. A Messages body nests 10–20 levels and a
 * tool input from an MCP server a few dozen more; the walker and JSON.stringify recurse once per
 * level, so a body nested 100,000 deep would overflow the stack (a 500) instead of getting a 400.
 */
export const MAX_JSON_DEPTH = 512;

export const tooDeep = () =>
  badRequest(`Request JSON is nested deeper than ${MAX_JSON_DEPTH} levels; send a flatter structure (real Messages API requests nest far less).`);

/**
 * Whether the arrays and objects in `text` nest deeper than `limit`, found by one linear scan
 * that jumps over string literals (brackets inside strings do not count). Checked before
 * anything recurses over the parsed value; malformed JSON is left for JSON.parse to report.
 */
export function nestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 34) {
      // Jump to the closing quote: one not preceded by an odd run of backslashes.
      for (;;) {
        const quote = text.indexOf('"', i + 1);
        if (quote === -1) return false;
        let backslashes = 0;
        while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes++;
        i = quote;
        if (backslashes % 2 === 0) break;
      }
    } else if (code === 91 || code === 123) {
      if (++depth > limit) return true;
    } else if (code === 93 || code === 125) depth--;
  }
  return false;
}

export function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === "") throw badRequest("Request body is empty; send a JSON object.");
  if (nestedDeeperThan(text, MAX_JSON_DEPTH)) throw tooDeep();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's own message can quote the body, which may hold secrets: never pass it on.
    throw badRequest("Request body is not valid JSON; send a JSON object.");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw badRequest("Request body must be a JSON object.");
  }
  return parsed as Record<string, unknown>;
}

/* Scanning JSON text without parsing it (the re-sent history split, the Bedrock body rewrite). */

export const isJsonSpace = (code: number) => code === 32 || code === 10 || code === 13 || code === 9;

export function skipJsonSpace(text: string, i: number): number {
  while (i < text.length && isJsonSpace(text.charCodeAt(i))) i++;
  return i;
}

/**
 * End of the string literal whose opening quote is at `i`, or -1. Jumps from quote to quote
 * (indexOf is a native scan) and counts the backslashes before each: an odd run escapes it.
 */
export function jsonStringEnd(text: string, i: number): number {
  for (let from = i + 1; ; ) {
    const quote = text.indexOf('"', from);
    if (quote === -1) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** End of the JSON value starting at `i`, or -1. Containers are matched by depth only. */
export function jsonValueEnd(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === 34) return jsonStringEnd(text, i);
  if (first === 123 || first === 91) {
    let depth = 0;
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (code === 34) {
        i = jsonStringEnd(text, i);
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
  // A number or literal: up to the next delimiter (JSON.parse of the piece validates it).
  const start = i;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 44 || code === 125 || code === 93 || isJsonSpace(code)) break;
    i++;
  }
  return i > start ? i : -1;
}


/** One top-level member of a JSON object text: its key, and where the member and its value lie. */
export interface JsonMember {
  key: string;
  /** [start, end) of `"key": value`. */
  start: number;
  end: number;
  valueStart: number;
  valueEnd: number;
}

/**
 * The top-level members of a JSON object text, found without parsing the values; undefined
 * when the text is not a plain object this scan understands (the caller then parses it).
 */
export function topLevelMembers(text: string): JsonMember[] | undefined {
  let i = skipJsonSpace(text, 0);
  if (text.charCodeAt(i) !== 123) return undefined;
  i = skipJsonSpace(text, i + 1);
  const members: JsonMember[] = [];
  if (text.charCodeAt(i) === 125) return skipJsonSpace(text, i + 1) === text.length ? members : undefined;
  for (;;) {
    if (text.charCodeAt(i) !== 34) return undefined;
    const keyEnd = jsonStringEnd(text, i);
    if (keyEnd === -1) return undefined;
    let key: string;
    try {
      key = JSON.parse(text.slice(i, keyEnd)) as string;
    } catch {
      return undefined;
    }
    let j = skipJsonSpace(text, keyEnd);
    if (text.charCodeAt(j) !== 58) return undefined;
    const valueStart = skipJsonSpace(text, j + 1);
    const valueEnd = jsonValueEnd(text, valueStart);
    if (valueEnd === -1) return undefined;
    members.push({ key, start: i, end: valueEnd, valueStart, valueEnd });
    j = skipJsonSpace(text, valueEnd);
    if (text.charCodeAt(j) === 44) {
      i = skipJsonSpace(text, j + 1);
      continue;
    }
    if (text.charCodeAt(j) === 125 && skipJsonSpace(text, j + 1) === text.length) return members;
    return undefined;
  }
}
