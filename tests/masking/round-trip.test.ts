/** unmask(mask(x)) === x, byte for byte, on generated text with awkward placements. */
import { afterAll, expect, test } from "bun:test";
import { Masker } from "../../src/masking/masker.ts";
import { openStore } from "../../src/store/index.ts";
import { seededRandom } from "../fixtures/sse-builder.ts";
import { tempDir } from "../helpers/proxy-process.ts";
import { mixedCorpus, secretValue } from "./corpus.ts";

const store = await openStore({ url: `sqlite://${tempDir()}/rt.db`, secret: "r".repeat(32), ttlMs: 3_600_000 });
const masker = new Masker(store, { arnMode: "parts" });
afterAll(() => store.close());

// Separators between values; values glued directly to each other (or by a bare ".", as in
// "abc7.53.1.2.3") or by "-" (which joins names) are ambiguous and not identifiers.
const SURROUNDINGS = [" ", "(", ")", ",", ". ", '"', "'", "\\\"", "=", ":", "/", "의", "를 ", "\n", "\t", "%2F", "[", "]", "{", "}", "`", "é"];

test("500 generated texts round-trip exactly and leak none of their secrets", async () => {
  const random = seededRandom(424242);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  for (let i = 0; i < 500; i++) {
    const secrets = Array.from({ length: 1 + Math.floor(random() * 4) }, () => secretValue(random));
    // Values at string edges, repeated, adjacent to punctuation and to each other.
    const body = secrets.map((secret) => (random() < 0.3 ? `${secret}${pick(SURROUNDINGS)}${secret}` : secret)).join(pick(SURROUNDINGS));
    const text = `${random() < 0.5 ? "" : pick(SURROUNDINGS)}${body}${random() < 0.5 ? "" : pick(SURROUNDINGS)}`;
    const { masked } = await masker.maskTexts("rt", [text]);
    for (const secret of secrets) expect(masked[0]).not.toContain(secret);
    expect((await masker.unmaskTexts("rt", masked)).texts[0]).toBe(text);
  }
});

test("a 200 KB mixed corpus round-trips exactly", async () => {
  const text = mixedCorpus(200_000);
  const { masked, entities } = await masker.maskTexts("rt-corpus", [text]);
  expect(entities.length).toBeGreaterThan(50);
  for (const entity of entities) expect(masked[0]).not.toContain(entity.original);
  expect((await masker.unmaskTexts("rt-corpus", masked)).texts[0]).toBe(text);
});
