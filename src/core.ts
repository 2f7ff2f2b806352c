/**
 * The masking core shared by `serve`, `mask`/`unmask` and `verify-setup`: the store selected
 * by STORE_URL, keyed by the masking secret, and the masker built from the catalogue plus
 * any PATTERNS_FILE entries.
 */
import type { Config } from "./config.ts";
import { surrogateSyntax, type SurrogateSyntax } from "./masking/stream-restorer.ts";
import { restorePolicy, type RestorePolicy } from "./masking/restore-policy.ts";
import { loadPatternsFile } from "./masking/patterns-file.ts";
import { Masker } from "./masking/masker.ts";
import { resolveMaskingSecret } from "./secrets.ts";
import { openStore } from "./store/index.ts";
import type { StoreObserver } from "./store/observed.ts";
import type { MappingStore } from "./store/types.ts";

export interface Core {
  store: MappingStore;
  masker: Masker;
  syntax: SurrogateSyntax;
  /** Restore only what will be masked again (masking/restore-policy.ts). */
  restorePolicy: RestorePolicy;
  close(): Promise<void>;
}

export async function createCore(config: Config, observe?: StoreObserver): Promise<Core> {
  const extra = config.patternsFile ? loadPatternsFile(config.patternsFile) : [];
  const { secret } = resolveMaskingSecret(config);
  const store = await openStore({ url: config.storeUrl, secret, ttlMs: config.mappingTtlMs, observe });
  const masker = new Masker(store, { arnMode: config.arnMode, extraEntries: extra });
  return {
    store,
    masker,
    syntax: surrogateSyntax(masker.roots),
    restorePolicy: restorePolicy(masker.scanner),
    close: () => store.close(),
  };
}
