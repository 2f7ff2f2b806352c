/**
 * A separate OS process for the race and persistence tests. Masks `count` originals named
 * `prefix-N` in batches through the store at STORE_URL and prints one JSON line per batch
 * ({original: surrogate}) as soon as the store has answered it.
 *   bun tests/store/worker.ts URL SECRET TENANT PREFIX COUNT BATCH CONCURRENCY [SEED]
 */
import { openStore } from "../../src/store/index.ts";

const [url, secret, tenant, prefix, count, batch, concurrency, seed] = process.argv.slice(2);
const store = await openStore({ url: url!, secret: secret!, ttlMs: 3_600_000 });
const originals = Array.from({ length: Number(count) }, (_, i) => `${prefix}-${i}`);
// Shuffle deterministically per seed so racing processes ask in different orders.
let state = Number(seed ?? 1);
const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
for (let i = originals.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [originals[i], originals[j]] = [originals[j]!, originals[i]!];
}
const batches: string[][] = [];
for (let i = 0; i < originals.length; i += Number(batch)) batches.push(originals.slice(i, i + Number(batch)));

let next = 0;
async function lane() {
  while (next < batches.length) {
    const items = batches[next++]!;
    const surrogates = await store.inner.getOrCreate(tenant!, items.map((original) => ({ type: "test", prefix: "AWS_TEST", original })));
    process.stdout.write(`${JSON.stringify(Object.fromEntries(items.map((original, i) => [original, surrogates[i]])))}\n`);
  }
}
await Promise.all(Array.from({ length: Number(concurrency) }, lane));
await store.close();
