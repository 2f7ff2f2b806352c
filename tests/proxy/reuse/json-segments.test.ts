/** Splitting a request body into pieces without parsing it (the re-sent-history path). */
import { describe, expect, test } from "bun:test";
import { splitPieces, splitRequestBody } from "../../../src/proxy/reuse/json-segments.ts";

describe("splitting a body into pieces", () => {
  test("top-level members and messages elements, with their exact raw texts", () => {
    const text = ` { "model" : "m",\n "messages":[ {"role":"user","content":"a \\"quoted\\" ] } text"} ,{"role":"assistant","content":[{"type":"text","text":"x"}]}],"max_tokens":12,"stream":true,"system":[{"type":"text","text":"s"}] } `;
    const pieces = splitRequestBody(text)!;
    expect(pieces.map((piece) => [piece.key, piece.element, piece.first, text.slice(piece.start, piece.end)])).toEqual([
      ["model", false, false, '"m"'],
      ["messages", true, true, '{"role":"user","content":"a \\"quoted\\" ] } text"}'],
      ["messages", true, false, '{"role":"assistant","content":[{"type":"text","text":"x"}]}'],
      ["max_tokens", false, false, "12"],
      ["stream", false, false, "true"],
      ["system", false, false, '[{"type":"text","text":"s"}]'],
    ]);
    // An empty messages array is an ordinary member.
    expect(splitRequestBody('{"messages":[ ]}')!.map((piece) => [piece.key, piece.element])).toEqual([["messages", false]]);
    expect(splitRequestBody("{}")).toEqual([]);
  });

  test("a string ends at the first quote after an even run of backslashes", () => {
    for (const content of ["ends with one \\", "two \\\\", 'quote \\" and \\\\"', '\\\\\\"', "]}{[,:"]) {
      const raw = JSON.stringify(content);
      const text = `{"messages":[{"content":${raw}},{"content":${raw}}],"after":${raw}}`;
      expect(splitRequestBody(text)!.map((piece) => JSON.parse(text.slice(piece.start, piece.end)))).toEqual([{ content }, { content }, content]);
    }
  });

  test("resumes after an element or a member, and stops where the sink says", () => {
    const seen: string[] = [];
    const rest = ' , {"b":2}],"stream":true}';
    expect(splitPieces(rest, "element", (piece) => {
      seen.push(`${piece.key}:${piece.first}:${rest.slice(piece.start, piece.end)}`);
      return true;
    })).toBe("end");
    expect(seen).toEqual(['messages:false:{"b":2}', "stream:false:true"]);
    expect(splitPieces('],"stream":true}', "element", () => true)).toBe("end");
    expect(splitPieces(',"a":1,"b":2}', "member", (piece) => piece.key !== "a")).toBe("stopped");
    expect(splitPieces("}", "member", () => true)).toBe("end");
  });

  test.each([
    ["", "empty"],
    ["[1,2]", "not an object"],
    ['{"a":1} x', "trailing text"],
    ['{"a" 1}', "missing colon"],
    ['{"a":"unterminated}', "unterminated string"],
    ['{"a":[1,2}', "unbalanced"],
    ['{"a":1,}', "trailing comma"],
    ["{a:1}", "unquoted key"],
    ['{"messages":[{"x":1} {"y":2}]}', "missing comma between messages"],
  ])("%p is not split (%s): the ordinary parser reports it", (text) => {
    expect(splitRequestBody(text)).toBeUndefined();
  });
});
