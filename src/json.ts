/** Parsing a request body that must be a JSON object, with errors that never quote the body. */
import { badRequest } from "./errors.ts";

export function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === "") throw badRequest("Request body is empty; send a JSON object.");
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
