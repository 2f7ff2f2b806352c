/**
 * A tenant-wide memory of originals: every memorable original (see `isMemorable`) the tenant
 * has in the store, masked or restored, is masked wherever it stands as a token in any later
 * request of that tenant, whatever the context. Detection depends on context (`password=`,
 * `arn:…`); restoring does not, so a restored value written again by the model out of context
 * (a subagent's prompt, a compaction summary, a new conversation) would otherwise reach the
 * provider in clear.
 *
 * The store is the memory's source of truth: each request first reads the tenant's change
 * feed from its cursor (`MappingStore.changesSince`, one round trip, usually empty), so every
 * process sharing the store knows what the others masked. Each original is kept raw and
 * JSON-escaped (tool output is often JSON inside a string). Cost: about 200 bytes per original
 * plus its text, so 100k originals of a tenant take ~25 MB; a tenant keeps at most
 * `maxOriginals` (200k), and tenants beyond `maxTenants` are forgotten least recently used
 * first and read again from the feed when they return.
 */
import type { StoreChanges } from "../store/types.ts";
import { isMemorable, MEMORY_LIMITS, OriginalsMatcher } from "./originals-matcher.ts";

export interface ChangeFeed {
  changesSince(tenant: string, cursor: number, limit: number): Promise<StoreChanges>;
}

export interface TenantMemoryOptions {
  /** Tenants kept in memory at once. */
  maxTenants?: number;
  /** Feed entries read per round trip. */
  pageSize?: number;
  /** Originals kept per tenant; beyond it, new ones are masked by context only. */
  maxOriginals?: number;
}

interface TenantState {
  matcher: OriginalsMatcher;
  cursor: number;
  /** The feed read under way. */
  running?: Promise<OriginalsMatcher>;
  /**
   * The read that starts when `running` ends: a request arriving during a read may not see
   * what was created just before it arrived, so it waits for the next read (shared by all
   * requests that arrive meanwhile).
   */
  queued?: Promise<OriginalsMatcher>;
}

export class TenantMemory {
  private readonly tenants = new Map<string, TenantState>();
  private readonly maxTenants: number;
  private readonly pageSize: number;
  private readonly maxOriginals: number;

  constructor(
    private readonly feed: ChangeFeed,
    /** The type and prefix a surrogate stands for. */
    private readonly kindOf: (surrogate: string) => { type: string; prefix: string },
    options: TenantMemoryOptions = {},
  ) {
    this.maxTenants = options.maxTenants ?? 1_000;
    this.pageSize = options.pageSize ?? 5_000;
    this.maxOriginals = options.maxOriginals ?? 200_000;
  }

  /** The tenant's matcher, up to date with the store. */
  async sync(tenant: string): Promise<OriginalsMatcher> {
    let state = this.tenants.get(tenant);
    if (state) {
      this.tenants.delete(tenant); // re-insert: Map order is recency order
      this.tenants.set(tenant, state);
    } else {
      state = { matcher: new OriginalsMatcher(MEMORY_LIMITS), cursor: 0 };
      this.tenants.set(tenant, state);
      if (this.tenants.size > this.maxTenants) this.tenants.delete(this.tenants.keys().next().value!);
    }
    const current = state;
    const start = (): Promise<OriginalsMatcher> => {
      const read = this.readFeed(tenant, current);
      current.running = read;
      const done = () => {
        if (current.running === read) current.running = undefined;
      };
      read.then(done, done);
      return read;
    };
    if (!current.running) return start();
    current.queued ??= current.running.then(
      () => ((current.queued = undefined), start()),
      () => ((current.queued = undefined), start()),
    );
    return current.queued;
  }

  private async readFeed(tenant: string, state: TenantState): Promise<OriginalsMatcher> {
    for (;;) {
      const { entries, cursor, complete } = await this.feed.changesSince(tenant, state.cursor, this.pageSize);
      state.cursor = cursor;
      for (const { surrogate, original } of entries) this.remember(state.matcher, surrogate, original);
      if (complete) return state.matcher;
    }
  }

  private remember(matcher: OriginalsMatcher, surrogate: string, original: string): void {
    if (!isMemorable(original) || matcher.size >= this.maxOriginals) return;
    const { type, prefix } = this.kindOf(surrogate);
    matcher.add(original, type, prefix);
    const escaped = JSON.stringify(original).slice(1, -1);
    if (escaped !== original) matcher.add(escaped, type, prefix);
  }
}
