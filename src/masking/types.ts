/** The shapes shared by the catalogue, the scanner and the masker. */
import { TOKEN_END, TOKEN_START } from "./boundary.ts";

/** One value masked in a request: what it was, what it became, and its catalogue type. */
export interface MaskedEntity {
  type: string;
  surrogate: string;
  original: string;
}

/** One match: the span [start, end) of the text to replace, and what it is. */
export interface Match {
  start: number;
  end: number;
  type: string;
  prefix: string;
  priority: number;
}

/** A match that stands for several replacements (an ARN masked by parts). */
export interface CompositeMatch extends Match {
  parts: Match[];
}

export interface CatalogueEntry {
  /** Stable type name, e.g. `ec2_instance`; used in logs, metrics and /v1/mask answers. */
  type: string;
  /**
   * Global regex. When it has a named group `value`, only that group is masked (the rest is
   * the context that made it sensitive, e.g. `password=`).
   */
  pattern: RegExp;
  /** Surrogate prefix: `AWS_EC2` gives `AWS_EC2_001`. */
  prefix: string;
  /** Lower wins when two matches of the same length overlap. */
  priority: number;
  /**
   * Literal strings of which at least one must occur for the pattern to be worth running
   * (checked with `includes`, so only for entries whose own pattern is costly to run).
   */
  hints?: readonly string[];
  /**
   * Where the pattern can start, for the scanner's shared pass (see scanner.ts). With
   * triggers, the pattern is not run over the whole text: one pass finds every trigger, and
   * the pattern runs, sticky, only at the starts they point to. Every position where the
   * pattern can match must be pointed to by one of them.
   */
  triggers?: readonly Trigger[];
  /**
   * With triggers: run the pattern at every start where it matches, even inside one of its
   * own earlier matches (like several entries sharing one trigger word). Otherwise matches
   * are found as a global regex finds them: leftmost first, never overlapping each other.
   */
  everyStart?: boolean;
  /** Rejects a candidate: `value` is the span to mask, `index` its start in `text`. */
  validate?: (value: string, text: string, index: number) => boolean;
  /**
   * How many characters before the regex match belong to it. A pattern may start at a rare
   * literal (the `-` of `vpc-…`, the first `.` of an IPv4 address) and capture what precedes it
   * in a lookbehind: its trigger can then sit on the pattern's first character, with no
   * offsets to try.
   */
  leadIn?: (groups: Record<string, string | undefined>, text: string, index: number) => number;
  /**
   * With leadIn: only the lookbehind's group `lead` is the value; what lies between it and the
   * match (counted in leadIn) and the match itself are context.
   */
  leadOnly?: boolean;
  /**
   * For a family of types sharing one regex (EC2 resource IDs): the type and prefix of a match,
   * from its groups. One regex then serves the whole family.
   */
  classify?: (groups: Record<string, string | undefined>, matched: string) => { type: string; prefix: string } | undefined;
  /** Every type and prefix `classify` can return. */
  family?: readonly { type: string; prefix: string }[];
  /**
   * Where a match really ends, for a pattern that reads only its bounded opening (a PEM
   * header, the first characters of an assigned value): a regex run at many overlapping
   * starts would read the same long tail once per start. `end` is where the regex match ends;
   * the returned end replaces it (undefined: no match), and a group `value` at the end of the
   * match grows with it. `memo` is one object per entry and scan, shared by every start, so a
   * tail that several starts share is read once (see `runEnd`).
   */
  extend?: (text: string, end: number, memo: ExtendMemo, groups: Record<string, string | undefined>) => number | undefined;
  /**
   * Splits a match into parts to mask separately (ARNs, ECR hosts); empty = leave it alone,
   * undefined = no match. `value` and `index` include what `leadIn` counted.
   */
  expand?: (value: string, index: number, groups: Record<string, string | undefined>) => Match[] | undefined;
}

/**
 * A rare character that every match contains at a known distance from its start. The shared
 * pass stops only where `chars` occurs and `when` (lookarounds, consuming nothing) holds, so
 * `when` should make stops rare; what it cannot rule out, the entry's own pattern does.
 */
export interface Trigger {
  /** The characters the trigger can be (`-`, or `kK` for a case-insensitive word). */
  chars: string;
  /** Lookarounds checked just after that character, e.g. `(?<=arn:)` for the `:` after `arn`. */
  when?: string;
  /** How many characters before the trigger the pattern's match starts; each is tried. */
  back?: readonly number[];
}

/** The first segment of every surrogate prefix; restore recognises surrogates by these. */
export const SURROGATE_ROOTS = ["AWS", "SECRET", "IP", "LITERAL"] as const;

/**
 * ASCII word boundaries (`\b` treats Korean particles as non-words only by accident). On the
 * left, a URL escape such as `%2F` also counts as a boundary: `%2Fi-0abc…` holds an ID.
 */
/** Where a token starts (see boundary.ts). */
export const LEFT = TOKEN_START;
export const RIGHT = TOKEN_END;

/** Looks back `width` characters for a context word (case-insensitive). */
export function contextBefore(text: string, index: number, pattern: RegExp, width = 48): boolean {
  return pattern.test(text.slice(Math.max(0, index - width), index));
}

/** Per-scan scratch space of one entry's `extend`: what it already read of the text. */
export type ExtendMemo = Record<string, { from: number; to: number } | undefined>;

/**
 * The end of the run of characters matching `run` (a sticky regex `[…]*`) that goes on at
 * `at`. Remembers the last run read under `key`: every position inside it has the same end,
 * so starts that share one run (`password=password=…`) read it once in all.
 */
export function runEnd(text: string, at: number, run: RegExp, memo: ExtendMemo, key: string): number {
  const known = memo[key];
  if (known && at >= known.from && at <= known.to) return known.to;
  run.lastIndex = at;
  run.test(text);
  const to = run.lastIndex;
  memo[key] = { from: at, to };
  return to;
}
