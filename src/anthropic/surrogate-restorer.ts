/**
 * Restores surrogates in text that arrives in pieces (SSE deltas). The tail of each piece that
 * could still be the start of a surrogate (`AWS_E`, `AWS_EC2_00`, or a complete `AWS_EC2_001`
 * that more digits might extend) is held back until the next piece or the end decides it;
 * everything before it is emitted at once, so the first byte never waits for the whole answer.
 */

/** Looks surrogates up: returns originals for the ones the tenant has; unknown ones are absent. */
export type ResolveSurrogates = (surrogates: string[]) => Promise<Map<string, string>>;

export interface SurrogateSyntax {
  /** Global regex matching a complete surrogate with word boundaries on both sides. */
  readonly pattern: RegExp;
  /** How many trailing characters of `text` could still become (part of) a surrogate. */
  holdback(text: string, previousChar: string): number;
}

const WORD = /[A-Za-z0-9_]/;
const MAX_DIGITS = 12;

export function surrogateSyntax(prefixes: readonly string[]): SurrogateSyntax {
  const sorted = [...new Set(prefixes)].sort((a, b) => b.length - a.length);
  const alternatives = sorted.map((prefix) => prefix.replace(/[^A-Za-z0-9_]/g, "\\$&")).join("|");
  const pattern = new RegExp(`(?<![A-Za-z0-9_])(?:${alternatives})_\\d{3,}(?![A-Za-z0-9_])`, "g");
  const starts = sorted.map((prefix) => `${prefix}_`);
  const complete = new RegExp(`^(?:${alternatives})_\\d{0,${MAX_DIGITS}}$`);
  const window = Math.max(...starts.map((start) => start.length)) + MAX_DIGITS;

  return {
    pattern,
    holdback(text, previousChar) {
      const from = Math.max(0, text.length - window);
      for (let i = from; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code < 65 || code > 90) continue; // surrogates start with A–Z
        const before = i === 0 ? previousChar : text[i - 1]!;
        if (before && WORD.test(before)) continue;
        const tail = text.slice(i);
        if (complete.test(tail) || starts.some((start) => start.startsWith(tail))) return text.length - i;
      }
      return 0;
    },
  };
}

/** JSON-escapes an original for insertion inside a JSON string literal (partial_json). */
const jsonEscape = (text: string) => JSON.stringify(text).slice(1, -1);

/**
 * Replaces every known surrogate in `text`; `json` inserts originals JSON-escaped.
 * `before` is the character that preceded `text` in the stream, so a surrogate glued to an
 * earlier word character is not taken for one.
 */
export async function restoreText(
  text: string,
  syntax: SurrogateSyntax,
  resolve: ResolveSurrogates,
  json = false,
  before = "",
): Promise<string> {
  const subject = before + text;
  const found = subject.match(syntax.pattern);
  if (!found) return text;
  const originals = await resolve([...new Set(found)]);
  if (originals.size === 0) return text;
  const restored = subject.replace(syntax.pattern, (surrogate: string, offset: number) => {
    const original = offset < before.length ? undefined : originals.get(surrogate);
    if (original === undefined) return surrogate;
    return json ? jsonEscape(original) : original;
  });
  return restored.slice(before.length);
}

/** One per streamed content block. */
export class StreamingRestorer {
  private held = "";
  private lastEmitted = "";
  /** The block's text as the upstream sent it (surrogates), and as the client got it. */
  upstreamText = "";
  restoredText = "";

  constructor(
    private readonly syntax: SurrogateSyntax,
    private readonly resolve: ResolveSurrogates,
    private readonly json: boolean,
  ) {}

  async push(fragment: string): Promise<string> {
    this.upstreamText += fragment;
    const text = this.held + fragment;
    const keep = this.syntax.holdback(text, this.lastEmitted);
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
    this.lastEmitted = text[text.length - 1]!;
    const restored = await restoreText(text, this.syntax, this.resolve, this.json, before);
    this.restoredText += restored;
    return restored;
  }
}
