/**
 * Finds known originals in a text, as whole tokens, in one pass: the tenant memory's matcher
 * (tenant-memory.ts) and the egress guard's repair both use it. Built incrementally (`add`
 * costs one map insert), so a tenant's memory grows with each request instead of being
 * rebuilt.
 *
 * How: every original is filed under its first three characters, and there by length. The
 * pass visits only the positions where a token can start (boundary.ts) and, for those, tests a
 * 2^20-bit filter of the known heads before looking in the map, so ordinary text costs a few
 * character reads per position. At a known head it looks up one slice per distinct length,
 * longest first, so 100k instance IDs (all `i-0…`, all 19 long) cost one lookup, not 100k
 * comparisons. A match must also end a token: `deploy` never matches inside `deployment`.
 *
 * Which originals are worth remembering is `isMemorable`: a lone short word (`master` as a
 * password, `backups` as a bucket) is also an ordinary word, and masking it everywhere would
 * turn every "master branch" the model reads into a surrogate.
 */
import { isTokenCode, tokenEndsAt, tokenStartsAt } from "./boundary.ts";
import type { Match } from "./types.ts";

export interface KnownOriginal {
  /** The text to find (an original, or its JSON-escaped form). */
  text: string;
  type: string;
  prefix: string;
  /** The matcher's generation when it was added: `find(text, since)` skips older ones. */
  generation: number;
}

/** Which matcher checked a text, and up to which generation. */
export interface MemoryStamp {
  matcher: OriginalsMatcher;
  generation: number;
}

/** Matches found by the memory win ties against catalogue matches of the same span. */
export const MEMORY_PRIORITY = 5;

/** The known texts of one head: their lengths, longest first, and each length's texts. */
interface HeadBucket {
  lengths: number[];
  byLength: Map<number, Map<string, KnownOriginal>>;
}

const HEAD = 3;
/**
 * Bounds on what one position costs in a tenant's memory, whatever the tenant makes the proxy
 * remember: at most 64 distinct lengths under one head (real heads have a few: `i-0…` has 10
 * and 19), and texts up to 512 long (a PEM key is found by the catalogue in any context).
 */
export const MEMORY_LIMITS = { maxLength: 512, maxLengthsPerHead: 64 };
const FILTER_BITS = 20;
const FILTER_MASK = (1 << FILTER_BITS) - 1;

/** Text shaped like a surrogate (`AWS_EC2_001`): what a user typed as such is a literal. */
const SURROGATE_SHAPED = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_\d{3,}$/;

/**
 * Whether an original is distinctive enough to be masked wherever it stands as a token. Short
 * values, lone words of letters (up to 9: `assistant`, `password`, `deploy`) and short numbers
 * are not: they are masked only where the catalogue recognises them by context. Nor is text
 * shaped like a surrogate (a literal the user typed): the literal entry masks it anywhere, and
 * the same text in a masked body is the masker's own output, never a leak.
 */
export function isMemorable(original: string): boolean {
  if (original.length < 6) return false;
  if (SURROGATE_SHAPED.test(original)) return false;
  if (/^[A-Za-z]+$/.test(original) && original.length < 10) return false;
  if (/^[0-9]+$/.test(original) && original.length < 8) return false;
  return true;
}

/** Up to this many originals learned since a text was checked, each is searched for natively. */
const FEW_NEW = 32;

/**
 * Whether `form` stands as a token in `text` (a string, or UTF-8 bytes, searched for
 * `formBytes` when given): a native search, then
 * the boundaries around each hit, read from a few characters on either side (boundaries are
 * ASCII, and an escape before a token is at most six characters).
 */
export function standsAsToken(text: string | Buffer, form: string, formBytes?: Buffer): boolean {
  const needle = typeof text === "string" ? form : (formBytes ?? Buffer.from(form));
  const formLength = needle.length;
  const checkStart = isTokenCode(form.charCodeAt(0));
  const checkEnd = isTokenCode(form.charCodeAt(form.length - 1));
  // Overloads differ by the needle's kind; the union is searched the same way.
  const indexOf = (from: number) => (typeof text === "string" ? text.indexOf(needle as string, from) : text.indexOf(needle as Buffer, from));
  for (let at = indexOf(0); at !== -1; at = indexOf(at + 1)) {
    const end = at + formLength;
    const before = typeof text === "string" ? text.slice(Math.max(0, at - 6), at) : text.toString("latin1", Math.max(0, at - 6), at);
    const after = typeof text === "string" ? text.slice(end, end + 1) : text.toString("latin1", end, end + 1);
    const window = `${before}${form}${after}`;
    if ((!checkStart || tokenStartsAt(window, before.length)) && (!checkEnd || tokenEndsAt(window, before.length + form.length))) return true;
  }
  return false;
}

/**
 * `find` for a few texts: a native search for each, then what the pass would keep: leftmost
 * first, the longest at one start, never overlapping.
 */
function findFew(text: string, candidates: readonly KnownOriginal[]): Match[] {
  const hits: { start: number; end: number; known: KnownOriginal }[] = [];
  for (const known of candidates) {
    const form = known.text;
    const checkStart = isTokenCode(form.charCodeAt(0));
    const checkEnd = isTokenCode(form.charCodeAt(form.length - 1));
    for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) {
      const end = at + form.length;
      if ((!checkStart || tokenStartsAt(text, at)) && (!checkEnd || tokenEndsAt(text, end))) hits.push({ start: at, end, known });
    }
  }
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const matches: Match[] = [];
  let reached = 0;
  for (const { start, end, known } of hits) {
    if (start < reached) continue;
    matches.push({ start, end, type: known.type, prefix: known.prefix, priority: MEMORY_PRIORITY });
    reached = end;
  }
  return matches;
}

const headKey = (c0: number, c1: number, c2: number) => c0 * 2 ** 32 + c1 * 2 ** 16 + c2;
const filterIndex = (c0: number, c1: number, c2: number) => ((c0 * 961 + c1 * 31 + c2) * 2654435761) >>> (32 - FILTER_BITS);

export class OriginalsMatcher {
  private readonly byHead = new Map<number, HeadBucket>();
  private readonly filter = new Uint32Array((FILTER_MASK + 1) / 32);
  /**
   * The first two characters of every known text, when both are ASCII: one array read rules
   * out almost every position of ordinary text before its boundary is even checked.
   */
  private readonly asciiPairs = new Uint8Array(128 * 128);
  /** Whether some known text starts with a character pair outside ASCII. */
  private otherPairs = false;
  private readonly known = new Set<string>();
  /** Every known text in the order added: the one of generation g is at g - 1. */
  private readonly added: KnownOriginal[] = [];
  /** Grows by one with each text added. */
  generation = 0;

  /**
   * `limits` bound what one position can cost (MEMORY_LIMITS for a tenant's memory); the
   * guards, a last check over one request's own originals, set none.
   */
  constructor(private readonly limits = { maxLength: Infinity, maxLengthsPerHead: Infinity }) {}

  get size(): number {
    return this.known.size;
  }

  has(text: string): boolean {
    return this.known.has(text);
  }

  /**
   * Adds a text to find. Returns false when it is not added: shorter than three characters,
   * or beyond the limits.
   */
  add(text: string, type: string, prefix: string): boolean {
    if (text.length < HEAD || text.length > this.limits.maxLength) return false;
    if (this.known.has(text)) return true;
    const c0 = text.charCodeAt(0);
    const c1 = text.charCodeAt(1);
    const c2 = text.charCodeAt(2);
    const key = headKey(c0, c1, c2);
    let bucket = this.byHead.get(key);
    if (!bucket) this.byHead.set(key, (bucket = { lengths: [], byLength: new Map() }));
    let sameLength = bucket.byLength.get(text.length);
    if (!sameLength) {
      if (bucket.lengths.length >= this.limits.maxLengthsPerHead) return false;
      bucket.byLength.set(text.length, (sameLength = new Map()));
      bucket.lengths.push(text.length);
      bucket.lengths.sort((a, b) => b - a); // longest first; distinct lengths are few
    }
    this.known.add(text);
    const known = { text, type, prefix, generation: ++this.generation };
    sameLength.set(text, known);
    this.added.push(known);
    const bit = filterIndex(c0, c1, c2);
    this.filter[bit >>> 5]! |= 1 << (bit & 31);
    if (c0 < 128 && c1 < 128) this.asciiPairs[(c0 << 7) | c1] = 1;
    else this.otherPairs = true;
    return true;
  }

  /** What a text checked now was checked against. */
  stamp(): MemoryStamp {
    return { matcher: this, generation: this.generation };
  }

  /**
   * Whether `text` (masked earlier, when this matcher was at `stamp`) holds an original this
   * matcher learned since. A stamp of another matcher (the tenant was forgotten and read again)
   * proves nothing: then every original counts.
   */
  learnedSinceIn(text: string | Buffer, stamp: MemoryStamp | undefined): boolean {
    const since = stamp?.matcher === this ? stamp.generation : 0;
    if (since >= this.generation) return false;
    // A conversation that goes on teaches the memory a few originals per turn: a native search
    // for each is far cheaper than a pass over the whole (re-sent, 200 KB) text.
    if (this.generation - since <= FEW_NEW) return this.added.slice(since).some(({ text: form }) => standsAsToken(text, form));
    return this.find(typeof text === "string" ? text : text.toString("utf8"), since).length > 0;
  }

  /** Every known text in `text` added after generation `since`, as whole tokens, left to right, never overlapping. */
  find(text: string, since = 0): Match[] {
    const matches: Match[] = [];
    if (this.known.size === 0 || since >= this.generation) return matches;
    if (this.generation - since <= FEW_NEW) return findFew(text, this.added.slice(since));
    const last = text.length - HEAD;
    for (let i = 0; i <= last; i++) {
      const c0 = text.charCodeAt(i);
      const c1 = text.charCodeAt(i + 1);
      if (c0 < 128 && c1 < 128 ? this.asciiPairs[(c0 << 7) | c1] === 0 : !this.otherPairs) continue;
      if (isTokenCode(c0) && !tokenStartsAt(text, i)) continue;
      const c2 = text.charCodeAt(i + 2);
      const bit = filterIndex(c0, c1, c2);
      if ((this.filter[bit >>> 5]! & (1 << (bit & 31))) === 0) continue;
      const bucket = this.byHead.get(headKey(c0, c1, c2));
      if (!bucket) continue;
      for (const length of bucket.lengths) {
        const end = i + length;
        if (end > text.length) continue;
        // The boundary first: it needs no slice, and rules out most lengths.
        if (isTokenCode(text.charCodeAt(end - 1)) && !tokenEndsAt(text, end)) continue;
        const candidate = bucket.byLength.get(length)!.get(text.slice(i, end));
        if (!candidate || candidate.generation <= since) continue;
        matches.push({ start: i, end, type: candidate.type, prefix: candidate.prefix, priority: MEMORY_PRIORITY });
        i = end - 1;
        break;
      }
    }
    return matches;
  }
}
