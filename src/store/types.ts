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

export interface MappingStore {
  /**
   * Returns one surrogate per item, in order. Atomic: the same original in the same tenant
   * always gets the same surrogate, even when several processes race; two originals never
   * share one. One round trip to the backing store for the whole batch.
   */
  getOrCreate(tenant: string, items: readonly MaskItem[]): Promise<string[]>;
  /** Returns the original for each surrogate known to the tenant, `undefined` otherwise. */
  lookup(tenant: string, surrogates: readonly string[]): Promise<(string | undefined)[]>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

/** Thrown by every engine when the backing store cannot answer; the HTTP layer maps it to 503. */
export { StoreUnavailableError } from "../errors.ts";
