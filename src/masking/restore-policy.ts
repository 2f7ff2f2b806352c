/**
 * Restore only what will be masked again. The invariant: for any answer, masking the client's
 * restored view as a fresh conversation of the same tenant sends the upstream no original.
 *
 * A memorable original (see `isMemorable`) is masked wherever it stands as a token, by the
 * tenant memory, so it is always restored. A weak one (`hunter` as a password, a 5-digit PIN)
 * is masked only where the catalogue recognises it by its context (`password=`); restored
 * anywhere else, the client would hold it in clear, and the next request that quotes it (a
 * subagent's prompt, a compaction summary) would send it. So a weak original is restored only
 * where the catalogue finds it again: in the text before it, in the same string (up to
 * RESTORE_CONTEXT characters, restored), followed by the character after it — whatever comes
 * next. What follows can undo a detection (`password=tulips(` is a function call, and
 * `password=tulipsx` another value), so the scan is repeated with a few continuations after
 * that character, and every one must still cover the original: only a value that ends where
 * it ends, in a context that holds, comes back. Elsewhere the surrogate stays. Both restore
 * paths (JSON and SSE) decide on the same decoded window.
 */
import { ESCAPED } from "./json-string.ts";
import { isMemorable } from "./originals-matcher.ts";
import type { Scanner } from "./scanner.ts";

/**
 * Whether `original`, restored right after `left` and followed by `next` (one character, or ""
 * where its string ends), would be masked again.
 */
export type RestorePolicy = (original: string, left: string, next: string) => boolean;

/** Characters of restored text before a weak original that decide it (context words sit close). */
export const RESTORE_CONTEXT = 64;

/** What may follow the next character: more of a value, a call, a new line. */
const CONTINUATIONS = ["", "x", "(", "\n"];

/** Decisions remembered per policy: an answer that repeats `password=SECRET_VALUE_001` decides it once. */
const MAX_DECISIONS = 4_096;

export function restorePolicy(scanner: Pick<Scanner, "scan">): RestorePolicy {
  const decisions = new Map<string, boolean>();
  return (original, left, next) => {
    if (isMemorable(original)) return true;
    const key = `${left}\u0000${original}\u0000${next}`;
    let decision = decisions.get(key);
    if (decision === undefined) {
      const start = left.length;
      const end = start + original.length;
      const found = (text: string) => scanner.scan(text).some((match) => match.start <= start && match.end >= end);
      const text = left + original + next;
      decision = next === "" ? found(text) : CONTINUATIONS.every((continuation) => found(text + continuation));
      if (decisions.size >= MAX_DECISIONS) decisions.clear();
      decisions.set(key, decision);
    }
    return decision;
  };
}

/** The restored text just before a position, as the masker will see it next turn. */
export interface LeftContext {
  /** Appends restored output (raw JSON for a partial_json stream). */
  feed(restored: string): void;
  /** Up to RESTORE_CONTEXT characters before the current position, in the same string. */
  text(): string;
}

/** For text: the last characters emitted. */
export class TextTail implements LeftContext {
  private tail = "";

  feed(restored: string): void {
    this.tail += restored;
    if (this.tail.length > 2 * RESTORE_CONTEXT) this.tail = this.tail.slice(-RESTORE_CONTEXT);
  }

  text(): string {
    return this.tail.slice(-RESTORE_CONTEXT);
  }
}

/**
 * For raw JSON arriving in pieces (a tool input's partial_json): follows the JSON lexically and
 * keeps the decoded tail of the string being written, which is what the masker scans next turn
 * (each member name and each string value is a text of its own).
 */
export class JsonStringTail implements LeftContext {
  private inString = false;
  /** Inside an escape: `\` seen (""), or the hex digits of a `\u` so far ("u…"). */
  private escape: string | undefined;
  private tail = "";

  feed(restored: string): void {
    for (const char of restored) {
      if (!this.inString) {
        if (char === '"') {
          this.inString = true;
          this.tail = "";
        }
      } else if (this.escape !== undefined) {
        this.readEscape(char);
      } else if (char === "\\") {
        this.escape = "";
      } else if (char === '"') {
        this.inString = false;
        this.tail = "";
      } else {
        this.append(char);
      }
    }
  }

  text(): string {
    return this.inString ? this.tail.slice(-RESTORE_CONTEXT) : "";
  }

  private readEscape(char: string): void {
    if (this.escape === "") {
      if (char === "u") this.escape = "u";
      else {
        this.escape = undefined;
        this.append(ESCAPED[char] ?? char);
      }
      return;
    }
    const escape = this.escape + char;
    this.escape = escape;
    if (escape.length === 5) {
      this.append(String.fromCharCode(Number.parseInt(escape.slice(1), 16)));
      this.escape = undefined;
    }
  }

  private append(char: string): void {
    this.tail += char;
    if (this.tail.length > 2 * RESTORE_CONTEXT) this.tail = this.tail.slice(-RESTORE_CONTEXT);
  }
}
