/**
 * Claude Code re-sends the whole conversation every turn, so almost every string of a request
 * was masked before. This remembers, per tenant, the masked form of each longer string (and
 * the entities it contained) so a re-send costs a hash and a compare instead of a scan. An
 * entry is trusted for a bounded time only: its surrogates must still exist in the store, and
 * re-masking through the store is also what extends their lifetime there.
 */
import { randomBytes } from "node:crypto";
import type { MaskedEntity } from "./egress-guard.ts";

export interface MaskedTextEntry {
  masked: string;
  entities: MaskedEntity[];
  at: number;
  /**
   * Originals (raw or JSON-escaped) the egress guard has already found absent from `masked`.
   * Shared by every entry checked in the same request, so it costs one set per request.
   */
  verified: ReadonlySet<string>;
  /** The original text, when the cache compares texts (see `keepText`). */
  text?: string;
}

const NONE_VERIFIED: ReadonlySet<string> = new Set();

/** Strings shorter than this are cheaper to scan than to look up. */
export const MIN_CACHED_LENGTH = 256;

export interface MaskedTextCacheOptions {
  /** Bound on the characters held (masked texts, and original texts when kept). */
  maxChars: number;
  maxAgeMs: number;
  now?: () => number;
  /** Shorter texts are not kept (cheaper to redo than to look up). */
  minLength?: number;
  /**
   * true: keep each original text and compare it on a hit. false: identify a text by its length
   * and two 64-bit hashes seeded at random per process (a chance collision is out of reach,
   * and nobody outside can aim for one). Use false for slices of a large request body: a kept
   * slice would keep the whole body alive.
   */
  keepText?: boolean;
}

const seeds = () => {
  const bytes = randomBytes(16);
  return [bytes.readBigUInt64LE(0), bytes.readBigUInt64LE(8)] as const;
};

/** How many texts `sighted` remembers. */
const MAX_SIGHTINGS = 65_536;

export class MaskedTextCache {
  private readonly entries = new Map<string, MaskedTextEntry>();
  private readonly sightings = new Set<string>();
  private chars = 0;
  private readonly maxChars: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly minLength: number;
  private readonly keepText: boolean;
  private readonly seeds = seeds();

  constructor(options: MaskedTextCacheOptions) {
    this.maxChars = options.maxChars;
    this.maxAgeMs = options.maxAgeMs;
    this.now = options.now ?? Date.now;
    this.minLength = options.minLength ?? MIN_CACHED_LENGTH;
    this.keepText = options.keepText ?? true;
  }

  private key(tenant: string, text: string): string {
    const first = Bun.hash(text, this.seeds[0]).toString(36);
    if (this.keepText) return `${tenant}\0${text.length}:${first}`;
    return `${tenant}\0${text.length}:${first}:${Bun.hash(text, this.seeds[1]).toString(36)}`;
  }

  private size(entry: MaskedTextEntry): number {
    return entry.masked.length + (entry.text?.length ?? 0);
  }

  get(tenant: string, text: string): MaskedTextEntry | undefined {
    if (text.length < this.minLength) return undefined;
    return this.entryAt(this.key(tenant, text), text);
  }

  private entryAt(key: string, text: string): MaskedTextEntry | undefined {
    const entry = this.entries.get(key);
    // With kept texts the full text is compared, so a hash collision can never hand back another string.
    if (!entry || (this.keepText && entry.text !== text) || this.now() - entry.at > this.maxAgeMs) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /**
   * `get`, and whether the text was offered here before (true for texts too short to cache).
   * Remembers the offer: a caller may cache only what comes back, not what it sees once.
   */
  lookup(tenant: string, text: string): { entry?: MaskedTextEntry; seenBefore: boolean } {
    if (text.length < this.minLength) return { seenBefore: true };
    const key = this.key(tenant, text);
    const entry = this.entryAt(key, text);
    const seenBefore = this.sightings.delete(key) || entry !== undefined;
    this.sightings.add(key);
    if (this.sightings.size > MAX_SIGHTINGS) this.sightings.delete(this.sightings.values().next().value!);
    return { entry, seenBefore };
  }

  set(tenant: string, text: string, masked: string, entities: MaskedEntity[]): MaskedTextEntry | undefined {
    if (text.length < this.minLength) return undefined;
    const key = this.key(tenant, text);
    const old = this.entries.get(key);
    if (old) this.chars -= this.size(old);
    this.entries.delete(key);
    const entry: MaskedTextEntry = { masked, entities, at: this.now(), verified: NONE_VERIFIED, text: this.keepText ? text : undefined };
    this.entries.set(key, entry);
    this.chars += this.size(entry);
    for (const [oldest, evicted] of this.entries) {
      if (this.chars <= this.maxChars) break;
      this.entries.delete(oldest);
      this.chars -= this.size(evicted);
    }
    return entry;
  }
}
