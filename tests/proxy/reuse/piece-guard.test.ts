import { describe, expect, test } from "bun:test";
import { guardPieces } from "../../../src/proxy/reuse/piece-guard.ts";
import type { MaskedPiece } from "../../../src/proxy/reuse/pieces.ts";

describe("egress guard over assembled pieces", () => {
  const piece = (masked: string): MaskedPiece => ({ key: "messages", element: true, first: false, masked: Buffer.from(masked), entities: [], maskedAt: 0, verified: new Set() });
  const originals = (n: number) => Array.from({ length: n }, (_, i) => ({ type: "ec2_instance", surrogate: `AWS_EC2_${i}`, original: `i-0${i.toString(16).padStart(16, "0")}` }));
  const body = (pieces: MaskedPiece[]) => {
    const placed: { offset: number; piece: MaskedPiece }[] = [];
    let offset = 1;
    for (const p of pieces) {
      placed.push({ offset, piece: p });
      offset += p.masked.length + 1;
    }
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
