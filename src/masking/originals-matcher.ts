/**
 * Finds known originals in a text, as whole tokens, in one pass: the tenant memory's matcher
 * (tenant-memory.ts) and the egress guard's repair both use it. Built incrementally (`add`
 * costs one map insert), so a tenant's memory grows with each request instead of being
 * rebuilt.
 *
 * How: every original is filed under its first three characters. The pass visits only the
 * positions where a token can start (boundary.ts) and, for those, tests a 2^20-bit filter of
 * the known heads before looking in the map, so ordinary text costs a few character reads per
 * position. Candidates are tried longest first, and a match must also end a token: `deploy`
 * never matches inside `deployment`.
 *
 * Which originals are worth remembering is `isMemorable`: a lone short word (`master` as a
 * password, `backups` as a bucket) is also an ordinary word, and masking it everywhere would
 * turn every "master branch" the model reads into a surrogate.
 */
import { isWordCode, tokenEndsAt, tokenStartsAt } from "./boundary.ts";
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

const HEAD = 3;
const FILTER_BITS = 20;
const FILTER_MASK = (1 << FILTER_BITS) - 1;

/**
 * Whether an original is distinctive enough to be masked wherever it stands as a token. Short
 * values, lone words of letters (up to 9: `assistant`, `password`, `deploy`) and short numbers
 * are not: they are masked only where the catalogue recognises them by context.
 */
export function isMemorable(original: string): boolean {
  if (original.length < 6) return false;
  if (/^[A-Za-z]+$/.test(original) && original.length < 10) return false;
  if (/^[0-9]+$/.test(original) && original.length < 8) return false;
  return true;
}

const headKey = (c0: number, c1: number, c2: number) => c0 * 2 ** 32 + c1 * 2 ** 16 + c2;
const filterIndex = (c0: number, c1: number, c2: number) => ((c0 * 961 + c1 * 31 + c2) * 2654435761) >>> (32 - FILTER_BITS);

export class OriginalsMatcher {
  private readonly byHead = new Map<number, KnownOriginal[]>();
  private readonly filter = new Uint32Array((FILTER_MASK + 1) / 32);
  private readonly known = new Set<string>();
  /** Grows by one with each text added. */
  generation = 0;

  get size(): number {
    return this.known.size;
  }

  has(text: string): boolean {
    return this.known.has(text);
  }

  /** Adds a text to find; texts shorter than three characters or already known are ignored. */
  add(text: string, type: string, prefix: string): void {
    if (text.length < HEAD || this.known.has(text)) return;
    this.known.add(text);
    const c0 = text.charCodeAt(0);
    const c1 = text.charCodeAt(1);
    const c2 = text.charCodeAt(2);
    const key = headKey(c0, c1, c2);
    const list = this.byHead.get(key) ?? [];
    list.push({ text, type, prefix, generation: ++this.generation });
    list.sort((a, b) => b.text.length - a.text.length); // longest first
    this.byHead.set(key, list);
    const bit = filterIndex(c0, c1, c2);
    this.filter[bit >>> 5]! |= 1 << (bit & 31);
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
  learnedSinceIn(text: string, stamp: MemoryStamp | undefined): boolean {
    const since = stamp?.matcher === this ? stamp.generation : 0;
    return this.find(text, since).length > 0;
  }

  /** Every known text in `text` added after generation `since`, as whole tokens, left to right, never overlapping. */
  find(text: string, since = 0): Match[] {
    const matches: Match[] = [];
    if (this.known.size === 0 || since >= this.generation) return matches;
    const last = text.length - HEAD;
    for (let i = 0; i <= last; i++) {
      const c0 = text.charCodeAt(i);
      if (isWordCode(c0) && !tokenStartsAt(text, i)) continue;
      const c1 = text.charCodeAt(i + 1);
      const c2 = text.charCodeAt(i + 2);
      const bit = filterIndex(c0, c1, c2);
      if ((this.filter[bit >>> 5]! & (1 << (bit & 31))) === 0) continue;
      const candidates = this.byHead.get(headKey(c0, c1, c2));
      if (!candidates) continue;
      for (const candidate of candidates) {
        const known = candidate.text;
        const end = i + known.length;
        if (candidate.generation <= since || !text.startsWith(known, i)) continue;
        if (isWordCode(known.charCodeAt(known.length - 1)) && !tokenEndsAt(text, end)) continue;
        matches.push({ start: i, end, type: candidate.type, prefix: candidate.prefix, priority: MEMORY_PRIORITY });
        i = end - 1;
        break;
      }
    }
    return matches;
  }
}
