import { describe, expect, test } from "bun:test";
import { findLeaks } from "../../src/anthropic/egress-guard.ts";
import { MaskedTextCache } from "../../src/anthropic/masked-text-cache.ts";

describe("egress guard", () => {
  const entities = [
    { type: "ec2_instance", surrogate: "AWS_EC2_001", original: "i-0a1b2c3d4e5f67890" },
    { type: "url_password", surrogate: "SECRET_PASSWORD_001", original: 'pa"ss/word\\1' },
    { type: "assigned_secret", surrogate: "SECRET_VALUE_001", original: "short" },
  ];
  test("finds an original left in the body, raw or JSON-escaped", () => {
    expect(findLeaks('{"a":"AWS_EC2_001","b":"i-0a1b2c3d4e5f67890"}', entities)).toEqual([entities[0]!]);
    expect(findLeaks(JSON.stringify({ x: 'pa"ss/word\\1' }), entities)).toEqual([entities[1]!]);
  });
  test("a clean body and very short originals (ordinary words) do not fire", () => {
    expect(findLeaks('{"a":"AWS_EC2_001 is short"}', entities)).toEqual([]);
  });
});

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
