/**
 * Restores surrogates in text that arrives in pieces (SSE deltas). The tail of each piece that
 * could still be the start of a surrogate (`AWS_E`, `AWS_EC2_00`, or a complete `AWS_EC2_001`
 * that more digits might extend) is held back until the next piece or the end decides it;
 * everything before it is emitted at once, so the first byte never waits for the whole answer.
 */
import { tokenStartsAt } from "./boundary.ts";
import { rootAlternatives, surrogateSource } from "./surrogate-grammar.ts";
import { decodedCharAt, partialEscapeLength } from "./json-string.ts";
import { JsonStringTail, TextTail, type LeftContext, type RestorePolicy } from "./restore-policy.ts";

/** Looks surrogates up: returns originals for the ones the tenant has; unknown ones are absent. */
export type ResolveSurrogates = (surrogates: string[]) => Promise<Map<string, string>>;

export interface SurrogateSyntax {
  /** Global regex matching a complete surrogate with word boundaries on both sides. */
  readonly pattern: RegExp;
  /** Matches `ROOT_` for any root: text without it holds no surrogate (a cheap first test). */
  readonly rootPattern: RegExp;
  /**
   * How many trailing characters of `text` could still become (part of) a surrogate;
   * `previous` holds the (up to CONTEXT) characters emitted just before `text`.
   */
  holdback(text: string, previous: string): number;
}

/** Characters before a surrogate that decide whether it starts a token (`\u0022` is six). */
const CONTEXT = 6;
/** The longest tail worth holding: a root, a few `_SEGMENT`s and the digits. */
const MAX_HOLD = 80;

/**
 * Surrogates are `ROOT(_SEGMENT)*_NNN` for a known root (AWS, SECRET, IP, LITERAL, and the
 * roots of user patterns' prefixes), with ASCII word boundaries on both sides.
 */
export function surrogateSyntax(roots: readonly string[]): SurrogateSyntax {
  const alternatives = rootAlternatives(roots);
  // A surrogate starts a token as the scanner decides it (boundary.ts): after `_`, a JSON
  // escape such as `\n` in raw partial_json, or a URL-encoded separator (`arn%3Aaws%3A…`).
  const pattern = new RegExp(surrogateSource(roots), "g");
  const couldStart = (tail: string) =>
    /^[A-Z][A-Z0-9_]*$/.test(tail) && roots.some((root) => root.startsWith(tail) || tail.startsWith(`${root}_`));

  return {
    pattern,
    rootPattern: new RegExp(`(?:${alternatives})_`),
    holdback(text, previous) {
      const from = Math.max(0, text.length - MAX_HOLD);
      for (let i = from; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code < 65 || code > 90) continue; // surrogates start with A–Z
        const before = i >= CONTEXT ? text.slice(i - CONTEXT, i) : (previous + text.slice(0, i)).slice(-CONTEXT);
        if (!tokenStartsAt(`${before}A`, before.length)) continue;
        if (couldStart(text.slice(i))) return text.length - i;
      }
      return 0;
    },
  };
}

/** JSON-escapes an original for insertion inside a JSON string literal (partial_json). */
const jsonEscape = (text: string) => JSON.stringify(text).slice(1, -1);

export interface RestoreTextOptions {
  /** Insert originals JSON-escaped (the text is raw JSON). */
  json?: boolean;
  /**
   * The characters that preceded `text` in the stream, so a surrogate glued to an earlier word
   * character is not taken for one.
   */
  before?: string;
  /** Decides weak originals (restore-policy.ts); without one, every known surrogate is restored. */
  policy?: RestorePolicy;
  /** The restored text before `text`, for the policy; fed with what this call restores. */
  left?: LeftContext;
}

/** Replaces every known surrogate in `text` that the policy allows. */
export async function restoreText(text: string, syntax: SurrogateSyntax, resolve: ResolveSurrogates, options: RestoreTextOptions = {}): Promise<string> {
  const { json = false, before = "", policy } = options;
  const left = options.left ?? new TextTail();
  const unchanged = () => {
    left.feed(text);
    return text;
  };
  if (!syntax.rootPattern.test(text)) return unchanged(); // most stream deltas: nothing to look up
  const subject = before + text;
  const found = subject.match(syntax.pattern);
  if (!found) return unchanged();
  const originals = await resolve([...new Set(found)]);
  if (originals.size === 0) return unchanged();
  const parts: string[] = [];
  let last = before.length;
  for (const match of subject.matchAll(syntax.pattern)) {
    const original = match.index < before.length ? undefined : originals.get(match[0]);
    if (original === undefined) continue;
    const between = subject.slice(last, match.index);
    left.feed(between);
    const end = match.index + match[0].length;
    const allowed = policy === undefined || policy(original, left.text(), json ? decodedCharAt(subject, end) : subject.charAt(end));
    const restored = allowed ? (json ? jsonEscape(original) : original) : match[0];
    left.feed(restored);
    parts.push(between, restored);
    last = match.index + match[0].length;
  }
  const rest = subject.slice(last);
  left.feed(rest);
  parts.push(rest);
  return parts.join("");
}

/** One per streamed content block. */
export class StreamingRestorer {
  private held = "";
  private lastEmitted = "";
  /**
   * With `keepText`, the block's text as the upstream sent it (surrogates) and as the client
   * got it. Only thinking blocks need them: a whole answer kept per stream costs memory.
   */
  upstreamText = "";
  restoredText = "";

  /** The restored text so far, as the policy reads it. */
  private readonly left: LeftContext;

  constructor(
    private readonly syntax: SurrogateSyntax,
    private readonly resolve: ResolveSurrogates,
    private readonly json: boolean,
    private readonly keepText = false,
    private readonly policy?: RestorePolicy,
  ) {
    this.left = json ? new JsonStringTail() : new TextTail();
  }

  async push(fragment: string): Promise<string> {
    if (this.keepText) this.upstreamText += fragment;
    const text = this.held + fragment;
    let keep = this.syntax.holdback(text, this.lastEmitted);
    if (this.json) {
      // The character after a surrogate decides weak originals (restore-policy.ts): an escape
      // must be whole before what precedes it goes out, surrogate candidates included.
      const partial = partialEscapeLength(text.slice(0, text.length - keep));
      if (partial > 0) {
        const before = text.slice(0, text.length - keep - partial);
        keep = text.length - before.length + this.syntax.holdback(before, this.lastEmitted);
      }
    }
    this.held = text.slice(text.length - keep);
    return this.emit(text.slice(0, text.length - keep));
  }

  async flush(): Promise<string> {
    const text = this.held;
    this.held = "";
    return this.emit(text);
  }

  private async emit(text: string): Promise<string> {
    if (text === "") return "";
    const before = this.lastEmitted;
    this.lastEmitted = (before + text).slice(-CONTEXT);
    const restored = await restoreText(text, this.syntax, this.resolve, { json: this.json, before, policy: this.policy, left: this.left });
    if (this.keepText) this.restoredText += restored;
    return restored;
  }
}
