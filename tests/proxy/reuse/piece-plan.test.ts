/**
 * Which pieces of a new body are reused from a remembered one and which are masked afresh.
 * The remembered pieces here are marked (their masked bytes say which body they came from),
 * so a test sees exactly which object stands for which bytes.
 */
import { describe, expect, test } from "bun:test";
import { commonPrefix } from "../../../src/proxy/reuse/bytes.ts";
import { splitRequestBody } from "../../../src/proxy/reuse/json-segments.ts";
import { planPieces, type PlannedPiece } from "../../../src/proxy/reuse/piece-plan.ts";
import type { MaskedPiece, RememberedBody } from "../../../src/proxy/reuse/pieces.ts";

/** Remembers `text` as if it had been masked, every piece stamped with `maskedAt`. */
function remember(text: string, maskedAt = 0): RememberedBody {
  const bytes = Buffer.from(text);
  const pieces = splitRequestBody(text)!.map((raw) => {
    const piece: MaskedPiece = { key: raw.key, element: raw.element, first: raw.first, masked: Buffer.from(`masked ${text.slice(raw.start, raw.end)}`), entities: [], maskedAt, verified: new Set() };
    // ASCII bodies: character offsets are byte offsets.
    return { start: raw.start, end: raw.end, piece };
  });
  return { bytes, pieces };
}

const summary = (text: string, planned: PlannedPiece[]) =>
  planned.map((piece) => ({ key: piece.key, raw: Buffer.from(text).toString("utf8", piece.start, piece.end), reused: piece.reuse !== undefined, text: piece.text }));

const long = (c: string) => c.repeat(1_200);
const conversation = (turns: string[], tools = "tools-list") =>
  JSON.stringify({ model: "m", system: long("s"), messages: turns.map((content) => ({ role: "user", content })), tools, max_tokens: 100 });
const always = () => true;

describe("planPieces", () => {
  test("without a remembered body every piece is new, with its raw text", () => {
    const text = conversation(["a", "b"]);
    const planned = planPieces(Buffer.from(text), undefined, always)!;
    expect(summary(text, planned)).toEqual([
      { key: "model", raw: '"m"', reused: false, text: '"m"' },
      { key: "system", raw: JSON.stringify(long("s")), reused: false, text: JSON.stringify(long("s")) },
      { key: "messages", raw: '{"role":"user","content":"a"}', reused: false, text: '{"role":"user","content":"a"}' },
      { key: "messages", raw: '{"role":"user","content":"b"}', reused: false, text: '{"role":"user","content":"b"}' },
      { key: "tools", raw: '"tools-list"', reused: false, text: '"tools-list"' },
      { key: "max_tokens", raw: "100", reused: false, text: "100" },
    ]);
  });

  test("a re-sent conversation with a new turn: the shared beginning is reused, and the shared ending from the first piece boundary the split reaches in it", () => {
    const before = remember(conversation(["first turn", "second turn"]));
    const text = conversation(["first turn", "second turn", "third turn"]);
    const bytes = Buffer.from(text);
    const planned = planPieces(bytes, { body: before, shared: commonPrefix(bytes, before.bytes) }, always)!;
    expect(summary(text, planned).map(({ key, reused, text: fresh }) => [key, reused, fresh])).toEqual([
      ["model", true, undefined],
      ["system", true, undefined],
      ["messages", true, undefined],
      ["messages", true, undefined],
      ["messages", false, '{"role":"user","content":"third turn"}'],
      // The split stops at the end of the first piece that lines up with the remembered ending;
      // that piece itself is masked afresh (from the masked-text cache, in practice).
      ["tools", false, '"tools-list"'],
      ["max_tokens", true, undefined],
    ]);
    // The same objects, standing for the same bytes at their new offsets.
    expect(planned[0]!.reuse).toBe(before.pieces[0]!.piece);
    expect(planned[6]!.reuse).toBe(before.pieces[5]!.piece);
    expect(text.slice(planned[6]!.start, planned[6]!.end)).toBe("100");
  });

  test("a piece trusted too long is masked afresh, at its place", () => {
    const before = remember(conversation(["first turn"]), 0);
    const text = conversation(["first turn", "next"]);
    const bytes = Buffer.from(text);
    const stale = before.pieces[1]!.piece; // system
    const planned = planPieces(bytes, { body: before, shared: commonPrefix(bytes, before.bytes) }, (piece) => piece !== stale)!;
    expect(planned[1]!.reuse).toBeUndefined();
    expect(planned[1]!.text).toBe(JSON.stringify(long("s")));
    expect(planned[0]!.reuse).toBe(before.pieces[0]!.piece);
  });

  test("an edit in the middle: pieces after it are split afresh until they line up with the remembered ending", () => {
    const before = remember(conversation(["one", "two", "three"]));
    const text = conversation(["one", "TWO!", "three"]);
    const bytes = Buffer.from(text);
    const planned = planPieces(bytes, { body: before, shared: commonPrefix(bytes, before.bytes) }, always)!;
    expect(planned.map((piece) => piece.reuse !== undefined)).toEqual([true, true, true, false, true, true, true]);
    expect(planned[3]!.text).toBe('{"role":"user","content":"TWO!"}');
  });

  test("a body the split does not understand gives undefined (the ordinary path decides)", () => {
    expect(planPieces(Buffer.from('{"a":1,}'), undefined, always)).toBeUndefined();
  });

  test("offsets are bytes, also after multi-byte characters", () => {
    const text = JSON.stringify({ system: "배포 로그", messages: [{ role: "user", content: "é" }] });
    const bytes = Buffer.from(text);
    const planned = planPieces(bytes, undefined, always)!;
    expect(planned.map((piece) => bytes.toString("utf8", piece.start, piece.end))).toEqual(['"배포 로그"', '{"role":"user","content":"é"}']);
  });
});
