/**
 * Looks surrogates up for one call's restore: the originals this request masked first (no
 * store round trip), then the tenant's store. Counts what it restored and what the tenant
 * does not have (surrogates the model invented).
 */
import type { MaskedEntity } from "../masking/types.ts";
import type { ResolveSurrogates } from "../masking/stream-restorer.ts";
import type { MappingStore } from "../store/types.ts";

export interface RestoreCounts {
  restoredSurrogates: number;
  unknownSurrogates: number;
}

export function surrogateResolver(
  store: Pick<MappingStore, "lookup">,
  tenant: string,
  entities: readonly MaskedEntity[],
  counts: RestoreCounts,
): ResolveSurrogates {
  const known = new Map(entities.map((entity) => [entity.surrogate, entity.original]));
  return async (surrogates) => {
    const found = new Map<string, string>();
    const misses: string[] = [];
    for (const surrogate of surrogates) {
      const original = known.get(surrogate);
      if (original !== undefined) found.set(surrogate, original);
      else misses.push(surrogate);
    }
    if (misses.length > 0) {
      const originals = await store.lookup(tenant, misses);
      misses.forEach((surrogate, i) => {
        const original = originals[i];
        if (original === undefined) {
          counts.unknownSurrogates++;
          return;
        }
        found.set(surrogate, original);
        known.set(surrogate, original);
      });
    }
    counts.restoredSurrogates += found.size;
    return found;
  };
}
