import { describe, expect, test } from "bun:test";
import type { MaskedPiece } from "../../src/anthropic/body-history.ts";
import { findLeaks, guardPieces } from "../../src/anthropic/egress-guard.ts";
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

describe("egress guard over assembled pieces", () => {
  const piece = (masked: string): MaskedPiece => ({ key: "messages", element: true, first: false, masked: Buffer.from(masked), entities: [], at: 0, verified: new Set() });
  const originals = (n: number) => Array.from({ length: n }, (_, i) => ({ type: "ec2_instance", surrogate: `AWS_EC2_${i}`, original: `i-0${i.toString(16).padStart(16, "0")}` }));
  const body = (pieces: MaskedPiece[]) => {
    const placed: { offset: number; piece: MaskedPiece }[] = [];
    let offset = 1;
    for (const p of pieces) placed.push({ offset, piece: p }), (offset += p.masked.length + 1);
    return { bytes: Buffer.from(`[${pieces.map((p) => p.masked.toString()).join(",")}]`), placed };
  };
  // Few forms over little text: a byte search per form; many over much: one regex over the text.
  for (const [label, forms, filler] of [["byte search", 5, 1_000], ["one regex", 200, 200_000]] as const) {
    test(`finds an original anywhere in the body (${label})`, () => {
      const entities = originals(forms);
      const clean = [piece(`"${"x".repeat(filler)}"`), piece('"AWS_EC2_1 is fine"')];
      expect(guardPieces(body(clean).bytes, body(clean).placed, "messages", entities)).toBe(true);
      for (const at of [0, 1]) {
        const leaky = clean.map((p, k) => (k === at ? piece(`"${"y".repeat(k === 0 ? filler : 10)} ${entities.at(-1)!.original} tail"`) : piece(p.masked.toString())));
        expect(guardPieces(body(leaky).bytes, body(leaky).placed, "messages", entities)).toBe(false);
      }
    });
  }
  test("a piece already checked for an original is not searched for it again; a new original is searched everywhere", () => {
    const [old, fresh] = originals(2) as [ReturnType<typeof originals>[0], ReturnType<typeof originals>[0]];
    const reused = piece(`"${old.original} slipped in, pretend it was checked"`);
    reused.verified = new Set([old.original]);
    expect(guardPieces(body([reused]).bytes, body([reused]).placed, "messages", [old])).toBe(true);
    const withNew = piece(`"also ${fresh.original}"`);
    withNew.verified = reused.verified;
    expect(guardPieces(body([withNew]).bytes, body([withNew]).placed, "messages", [old, fresh])).toBe(false);
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
