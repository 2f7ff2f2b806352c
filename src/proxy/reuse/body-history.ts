/**
 * Recent request bodies per tenant, raw bytes and masked pieces. Claude Code re-sends the whole
 * conversation every turn, so a new body begins (and often ends: the tool list) with the
 * bytes of the one before. Native byte comparison finds how far; the masked pieces inside
 * that stretch are reused as they are, and only the rest is split, parsed and masked.
 *
 * A piece is trusted for a bounded time only (`maxAgeMs`): its surrogates must still exist in
 * the store, and masking through the store again is what extends their lifetime there.
 */
import { commonPrefix } from "./bytes.ts";
import type { RememberedBody } from "./pieces.ts";

export interface BodyHistoryOptions {
  /** Bound on the bytes held, raw and masked, over all tenants. */
  maxBytes: number;
  maxAgeMs: number;
  /** Bodies kept per tenant (a team runs several conversations at once). */
  perTenant?: number;
  now?: () => number;
}

/** Below this, a shared beginning is only the common head of unrelated requests. */
const MIN_SHARED_BYTES = 1_024;
/** A body shared up to its last this many bytes is not worth comparing further candidates against. */
const GOOD_ENOUGH_TAIL = 32_768;
/** Pieces shared by several bodies are counted in each: the bound errs on the safe side. */
const sizeOf = (body: RememberedBody) => body.bytes.length + body.pieces.reduce((sum, placed) => sum + placed.piece.masked.length, 0);

export class BodyHistory {
  /** Most recently used last; per tenant, its bodies most recent first. */
  private readonly tenants = new Map<string, RememberedBody[]>();
  private bytes = 0;
  private readonly perTenant: number;
  readonly now: () => number;

  constructor(private readonly options: BodyHistoryOptions) {
    this.perTenant = options.perTenant ?? 8;
    this.now = options.now ?? Date.now;
  }

  get maxAgeMs(): number {
    return this.options.maxAgeMs;
  }

  /** The remembered body of this tenant that shares the longest beginning with `bytes`. */
  closest(tenant: string, bytes: Buffer): { body: RememberedBody; shared: number } | undefined {
    let best: { body: RememberedBody; shared: number } | undefined;
    for (const body of this.tenants.get(tenant) ?? []) {
      const shared = commonPrefix(bytes, body.bytes);
      if (shared >= MIN_SHARED_BYTES && shared > (best?.shared ?? 0)) best = { body, shared };
      // Most recent first: a body that shares all but the new turn is as good as it gets.
      if (best?.body === body && shared >= bytes.length - GOOD_ENOUGH_TAIL) break;
    }
    return best;
  }

  /** Remembers a body; `supersedes` (the body it grew from) is forgotten. */
  remember(tenant: string, body: RememberedBody, supersedes?: RememberedBody): void {
    const list = (this.tenants.get(tenant) ?? []).filter((old) => {
      const drop = old === supersedes || (old.bytes.length === body.bytes.length && old.bytes.equals(body.bytes));
      if (drop) this.bytes -= sizeOf(old);
      return !drop;
    });
    list.unshift(body);
    this.bytes += sizeOf(body);
    while (list.length > this.perTenant) this.bytes -= sizeOf(list.pop()!);
    this.tenants.delete(tenant);
    this.tenants.set(tenant, list);
    this.evict();
  }

  /** Drops the least recently used tenants' oldest bodies until within the bound. */
  private evict(): void {
    for (const [tenant, list] of this.tenants) {
      if (this.bytes <= this.options.maxBytes) return;
      while (list.length > 0 && this.bytes > this.options.maxBytes) this.bytes -= sizeOf(list.pop()!);
      if (list.length === 0) this.tenants.delete(tenant);
    }
  }
}
