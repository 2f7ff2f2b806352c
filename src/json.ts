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
