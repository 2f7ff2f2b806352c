/**
 * The contract every mapping store engine (SQLite, Redis, Redis Cluster) fulfils.
 * A mapping ties one original value to one surrogate (`PREFIX_NNN`) inside one tenant.
 */

/** One value to mask: its catalogue type, the surrogate prefix for that type, and the original text. */
export interface MaskItem {
  type: string;
  prefix: string;
  original: string;
}

export interface StoreHealth {
  ok: boolean;
  engine: "sqlite" | "redis" | "redis-cluster";
  /** Human-readable detail without secrets or config values (e.g. "redis 7.0.15"). */
  detail: string;
}

/** Mappings of one tenant created after a cursor (see `MappingStore.changesSince`). */
export interface StoreChanges {
  entries: { surrogate: string; original: string }[];
  /** Pass it to the next call to get what was created after these. */
  cursor: number;
  /** False when `limit` cut the answer short: call again from `cursor`. */
  complete: boolean;
}

export interface MappingStore {
  /**
   * Returns one surrogate per item, in order. Atomic: the same original in the same tenant
   * always gets the same surrogate, even when several processes race; two originals never
   * share one. One round trip to the backing store for the whole batch.
   */
  getOrCreate(tenant: string, items: readonly MaskItem[]): Promise<string[]>;
  /** Returns the original for each surrogate known to the tenant, `undefined` otherwise. */
  lookup(tenant: string, surrogates: readonly string[]): Promise<(string | undefined)[]>;
  /**
   * The tenant's mappings created after `cursor` (0: from the first), oldest first, at most
   * `limit` of them, with the cursor to continue from. Every process sharing the store sees
   * every other's mappings this way: it is the tenant memory's change feed. Mappings that
   * expired are skipped.
   */
  changesSince(tenant: string, cursor: number, limit: number): Promise<StoreChanges>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

/** Thrown by every engine when the backing store cannot answer; the HTTP layer maps it to 503. */
export { StoreUnavailableError } from "../errors.ts";
