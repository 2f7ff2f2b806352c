/** Times every real store round trip and counts failures, for metrics; behaviour unchanged. */
import type { MappingStore, MaskItem, StoreChanges, StoreHealth } from "./types.ts";

/** Why a store call failed, as a bounded metric label (never the message). */
export type StoreErrorCause = "refused" | "dns" | "timeout" | "auth" | "unavailable" | "error";

export type StoreObserver = (operation: "get_or_create" | "lookup" | "changes", seconds: number, ok: boolean, cause?: StoreErrorCause) => void;

/** Read from the error's message (the engines name the last connection error's code there). */
export function storeErrorCause(error: unknown): StoreErrorCause {
  const message = String((error as Error)?.message ?? "");
  if (/ECONNREFUSED|EHOSTUNREACH|ENETUNREACH/.test(message)) return "refused";
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return "dns";
  if (/WRONGPASS|NOAUTH|NOPERM/.test(message)) return "auth";
  if (/timeout|timed out|ETIMEDOUT/i.test(message)) return "timeout";
  return (error as Error)?.name === "StoreUnavailableError" ? "unavailable" : "error";
}

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
      this.observe(operation, (performance.now() - started) / 1000, false, storeErrorCause(error));
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
