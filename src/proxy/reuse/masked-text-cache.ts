/**
 * Masked forms of longer strings, per tenant. Whole re-sent pieces come from the body history;
 * this helps where a piece changed around strings that did not (Claude Code moves its cache
 * marker from message to message), so a changed piece costs a hash and a compare per string
 * instead of a scan. An entry is trusted for a bounded time only: its surrogates must still
 * exist in the store, and re-masking through the store is also what extends their lifetime.
 */
import type { MemoryStamp } from "../../masking/originals-matcher.ts";
import type { MaskedEntity } from "../../masking/types.ts";

export interface MaskedTextEntry {
  masked: string;
  entities: MaskedEntity[];
  /** When the text was masked through the store (ms since the epoch). */
  maskedAt: number;
  /** The original text, compared on a hit so a hash collision can never hand back another string. */
  text: string;
  /** The tenant memory it was masked with: what the memory learned since must be looked for. */
  memory?: MemoryStamp;
}

/** Strings shorter than this are cheaper to scan than to look up. */
export const MIN_CACHED_LENGTH = 256;

export interface MaskedTextCacheOptions {
  /** Bound on the characters held, original and masked texts together. */
  maxChars: number;
  maxAgeMs: number;
  now?: () => number;
  /** Shorter texts are not kept (cheaper to redo than to look up). */
  minLength?: number;
}

export class MaskedTextCache {
  private readonly entries = new Map<string, MaskedTextEntry>();
  private chars = 0;
  private readonly maxChars: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly minLength: number;
  private readonly seed = BigInt(Math.floor(Math.random() * 2 ** 52));

  constructor(options: MaskedTextCacheOptions) {
    this.maxChars = options.maxChars;
    this.maxAgeMs = options.maxAgeMs;
    this.now = options.now ?? Date.now;
    this.minLength = options.minLength ?? MIN_CACHED_LENGTH;
  }

  private key(tenant: string, text: string): string {
    return `${tenant}\0${text.length}:${Bun.hash(text, this.seed).toString(36)}`;
  }

  private size(entry: MaskedTextEntry): number {
    return entry.masked.length + entry.text.length;
  }

  get(tenant: string, text: string): MaskedTextEntry | undefined {
    if (text.length < this.minLength) return undefined;
    const key = this.key(tenant, text);
    const entry = this.entries.get(key);
    if (!entry || entry.text !== text || this.now() - entry.maskedAt > this.maxAgeMs) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(tenant: string, text: string, masked: string, entities: MaskedEntity[], memory?: MemoryStamp): void {
    if (text.length < this.minLength) return;
    const key = this.key(tenant, text);
    const old = this.entries.get(key);
    if (old) this.chars -= this.size(old);
    this.entries.delete(key);
    const entry: MaskedTextEntry = { masked, entities, maskedAt: this.now(), text, memory };
    this.entries.set(key, entry);
    this.chars += this.size(entry);
    for (const [oldest, evicted] of this.entries) {
      if (this.chars <= this.maxChars) break;
      this.entries.delete(oldest);
      this.chars -= this.size(evicted);
    }
  }
}
