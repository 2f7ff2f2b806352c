/**
 * Restores a JSON answer (a message, or an error whose message may quote a surrogate) for the
 * client; anything that is not JSON passes as it came. An answer with nothing to restore goes
 * out byte for byte.
 */
import { responseSlots } from "../anthropic/content-walker.ts";
import type { RestorePolicy } from "../masking/restore-policy.ts";
import { restoreText, type ResolveSurrogates, type SurrogateSyntax } from "../masking/stream-restorer.ts";

type Json = Record<string, unknown>;

export interface JsonRestoreOptions {
  syntax: SurrogateSyntax;
  resolve: ResolveSurrogates;
  /** Which originals may be restored where (restore-policy.ts); without one, all. */
  policy?: RestorePolicy;
  /** Called per thinking block, so the signed text can be re-sent exactly. */
  onThinking?: (upstreamText: string, restoredText: string) => void;
}

export async function restoreJsonAnswer(text: string, options: JsonRestoreOptions): Promise<string> {
  let parsed: Json;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  if (typeof parsed !== "object" || parsed === null) return text;
  const slots = responseSlots(parsed);
  const error = parsed.error as Json | undefined;
  if (parsed.type === "error" && error && typeof error.message === "string") {
    slots.push({ kind: "text", get: () => error.message as string, set: (value) => void (error.message = value) });
  }
  let changed = false;
  for (const slot of slots) {
    const before = slot.get();
    const after = await restoreText(before, options.syntax, options.resolve, { policy: options.policy });
    if (slot.kind === "thinking") options.onThinking?.(before, after);
    if (after === before) continue;
    slot.set(after);
    changed = true;
  }
  return changed ? JSON.stringify(parsed) : text;
}
