/** Times every real store round trip and counts failures, for metrics; behaviour unchanged. */
import type { MappingStore, MaskItem, StoreChanges, StoreHealth } from "./types.ts";

export type StoreObserver = (operation: "get_or_create" | "lookup" | "changes", seconds: number, ok: boolean) => void;

export class ObservedStore implements MappingStore {
  constructor(
    readonly inner: MappingStore,
    private readonly observe: StoreObserver,
  ) {}

  private async timed<T>(operation: "get_or_create" | "lookup" | "changes", call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const result = await call();
      this.observe(operation, (performance.now() - started) / 1000, true);
      return result;
    } catch (error) {
      this.observe(operation, (performance.now() - started) / 1000, false);
      throw error;
    }
  }

  getOrCreate(tenant: string, items: readonly MaskItem[]): Promise<string[]> {
    return this.timed("get_or_create", () => this.inner.getOrCreate(tenant, items));
  }

  lookup(tenant: string, surrogates: readonly string[]): Promise<(string | undefined)[]> {
    return this.timed("lookup", () => this.inner.lookup(tenant, surrogates));
  }

  changesSince(tenant: string, cursor: number, limit: number): Promise<StoreChanges> {
    return this.timed("changes", () => this.inner.changesSince(tenant, cursor, limit));
  }

  health(): Promise<StoreHealth> {
    return this.inner.health();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
