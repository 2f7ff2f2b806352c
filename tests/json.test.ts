/** Scanning JSON text without parsing it: top-level members of an object, and what is not one. */
import { expect, test } from "bun:test";
import { topLevelMembers } from "../src/json.ts";

test("members with their spans: strings with escapes and brackets inside, nested values, spaces", () => {
  const text = ' { "model" : "m", "messages":[{"role":"user","content":"a } ] \\" {"}], "stream":true , "n": -1.5e3, "x\\"y": null } ';
  const members = topLevelMembers(text)!;
  expect(members.map((m) => m.key)).toEqual(["model", "messages", "stream", "n", 'x"y']);
  expect(members.map((m) => JSON.parse(text.slice(m.valueStart, m.valueEnd)))).toEqual(["m", [{ role: "user", content: 'a } ] " {' }], true, -1500, null]);
  // A member's span rebuilds an equivalent object.
  expect(JSON.parse(`{${members.map((m) => text.slice(m.start, m.end)).join(",")}}`)).toEqual(JSON.parse(text));
  expect(topLevelMembers("{}")).toEqual([]);
});

test.each(["[1,2]", '"text"', '{"a":1', '{"a" 1}', '{"a":1}}', '{"a":1,}', "{a:1}", ""])("%p is not a plain object → undefined", (text) => {
  expect(topLevelMembers(text)).toBeUndefined();
});
