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
  test("one regex over much text: tokens only, an original that starts with punctuation glued to a word, and a hostile run read once", () => {
    const many = originals(200);
    const punct = { type: "assigned_secret", surrogate: "SECRET_VALUE_001", original: "!Quoted-secret-77" };
    const long = { type: "assigned_secret", surrogate: "SECRET_VALUE_002", original: "a".repeat(12) };
    const entities = [...many, punct, long];
    const filler = "z".repeat(200_000);
    const check = (text: string) => {
      const pieces = [piece(JSON.stringify(`${filler} ${text}`))];
      return guardPieces(body(pieces).bytes, body(pieces).placed, "messages", entities);
    };
    expect(check(`x${many[7]!.original}y inside longer words only`)).toBe(true);
    expect(check(`word${punct.original} glued after a word`)).toBe(false);
    expect(check(`${"a".repeat(13)}${punct.original} right after a near miss of another form`)).toBe(false);
    expect(check(`${"a".repeat(300_000)}b`)).toBe(true); // every position of the run matches the form's text, none is a token
    expect(check(`${"a".repeat(300_000)} ${long.original}`)).toBe(false);
  });

  test("a piece already checked for an original is not searched for it again; a new original is searched everywhere", () => {
    const [old, fresh] = originals(2) as [ReturnType<typeof originals>[0], ReturnType<typeof originals>[0]];
    const reused = piece(`"${old.original} slipped in, pretend it was checked"`);
    reused.verified = new Set([old.original]);
    expect(guardPieces(body([reused]).bytes, body([reused]).placed, "messages", [old])).toBe(true);
    const withNew = piece(`"also ${fresh.original}"`);
    withNew.verified = reused.verified;
    expect(guardPieces(body([withNew]).bytes, body([withNew]).placed, "messages", [old, fresh])).toBe(false);
  });

  test("an original standing as a top-level member name is a hit, though no piece holds it", () => {
    const [entity] = originals(1);
    const clean = [piece('"nothing here"')];
    expect(guardPieces(body(clean).bytes, body(clean).placed, "model\0messages", [entity!])).toBe(true);
    expect(guardPieces(body(clean).bytes, body(clean).placed, `model\0${entity!.original}`, [entity!])).toBe(false);
  });

  test("after a clean check every piece records every form it was checked for (raw and JSON-escaped)", () => {
    const entities = [...originals(2), { type: "url_password", surrogate: "SECRET_PASSWORD_001", original: 'pa"ss/word\\1' }];
    const pieces = [piece('"a"'), piece('"b"')];
    expect(guardPieces(body(pieces).bytes, body(pieces).placed, "messages", entities)).toBe(true);
    const expected = [entities[0]!.original, entities[1]!.original, 'pa"ss/word\\1', JSON.stringify('pa"ss/word\\1').slice(1, -1)];
    for (const checked of pieces) expect([...checked.verified].sort()).toEqual(expected.sort());
    // One set shared by the pieces of one request.
    expect(pieces[0]!.verified).toBe(pieces[1]!.verified);
  });

  test("a failed check records nothing", () => {
    const [entity] = originals(1);
    const leaky = [piece('"clean"'), piece(`"${entity!.original}"`)];
    expect(guardPieces(body(leaky).bytes, body(leaky).placed, "messages", [entity!])).toBe(false);
    for (const checked of leaky) expect(checked.verified.size).toBe(0);
  });
});
