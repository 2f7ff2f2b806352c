/**
 * Claude Code re-sends the whole conversation every turn, so almost every string of a request
 * was masked before. This remembers, per tenant, the masked form of each longer string (and
 * the entities it contained) so a re-send costs a hash and a compare instead of a scan. An
 * entry is trusted for a bounded time only: its surrogates must still exist in the store, and
 * re-masking through the store is also what extends their lifetime there.
 */
import type { MaskedEntity } from "./egress-guard.ts";

export interface MaskedTextEntry {
  text: string;
  masked: string;
  entities: MaskedEntity[];
  at: number;
  /** Originals (raw or JSON-escaped) the egress guard has already found absent from `masked`. */
  verified: Set<string>;
}

/** Strings shorter than this are cheaper to scan than to look up. */
export const MIN_CACHED_LENGTH = 256;

export class MaskedTextCache {
  private readonly entries = new Map<string, MaskedTextEntry>();
  private chars = 0;

  constructor(
    private readonly maxChars: number,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
    /** Shorter texts are not kept (cheaper to redo than to look up). */
    private readonly minLength = MIN_CACHED_LENGTH,
  ) {}

  private key(tenant: string, text: string): string {
    return `${tenant}\0${text.length}:${Bun.hash(text).toString(36)}`;
  }

  get(tenant: string, text: string): MaskedTextEntry | undefined {
    if (text.length < this.minLength) return undefined;
    const key = this.key(tenant, text);
    const entry = this.entries.get(key);
    // The full text is compared, so a hash collision can never hand back another string.
    if (!entry || entry.text !== text || this.now() - entry.at > this.maxAgeMs) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(tenant: string, text: string, masked: string, entities: MaskedEntity[]): MaskedTextEntry | undefined {
    if (text.length < this.minLength) return undefined;
    const key = this.key(tenant, text);
    const old = this.entries.get(key);
    if (old) this.chars -= old.text.length + old.masked.length;
    this.entries.delete(key);
    const entry = { text, masked, entities, at: this.now(), verified: new Set<string>() };
    this.entries.set(key, entry);
    this.chars += text.length + masked.length;
    for (const [oldest, evicted] of this.entries) {
      if (this.chars <= this.maxChars) break;
      this.entries.delete(oldest);
      this.chars -= evicted.text.length + evicted.masked.length;
    }
    return entry;
  }
}
