import { describe, expect, test } from "bun:test";
import { MaskedTextCache } from "../../../src/proxy/reuse/masked-text-cache.ts";

describe("masked text cache", () => {
  const long = (c: string) => c.repeat(300);
  test("hits only the same tenant and the exact same text", () => {
    const cache = new MaskedTextCache({ maxChars: 10_000, maxAgeMs: 60_000 });
    cache.set("a", long("x"), long("y"), []);
    expect(cache.get("a", long("x"))?.masked).toBe(long("y"));
    expect(cache.get("b", long("x"))).toBeUndefined();
    expect(cache.get("a", `${long("x")}!`)).toBeUndefined();
  });
  test("short strings are not cached; old entries expire; the size bound evicts the oldest", () => {
    let now = 0;
    const cache = new MaskedTextCache({ maxChars: 1_500, maxAgeMs: 1_000, now: () => now });
    cache.set("a", "tiny", "TINY", []);
    expect(cache.get("a", "tiny")).toBeUndefined();
    cache.set("a", long("1"), long("A"), []);
    cache.set("a", long("2"), long("B"), []);
    cache.set("a", long("3"), long("C"), []); // 3 × 600 chars > 1,500: the oldest goes
    expect(cache.get("a", long("1"))).toBeUndefined();
    expect(cache.get("a", long("3"))?.masked).toBe(long("C"));
    now = 1_001;
    expect(cache.get("a", long("3"))).toBeUndefined();
  });
});
