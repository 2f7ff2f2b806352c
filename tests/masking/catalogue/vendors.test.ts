/** Every vendor format: a realistic token is masked whole, a look-alike stays. */
import { expect, test } from "bun:test";
import { Scanner } from "../../../src/masking/scanner.ts";
import { VENDOR_FORMATS, vendorEntries } from "../../../src/masking/catalogue/vendors.ts";
import { VENDOR_SAMPLES as TABLE } from "./vendor-samples.ts";

const scanner = new Scanner(vendorEntries);
test.each(TABLE)("%s is %s, masked whole in context", (token, type, masked = token) => {
  for (const text of [`export TOKEN="${token}"`, `the key ${token} leaked in the log`]) {
    expect(scanner.scan(text).map((m) => [text.slice(m.start, m.end), m.type])).toEqual([[masked, type]]);
  }
});

// (A default on the third parameter keeps the callback's arity at two: with three, bun passes a `done`.)
test.each(TABLE)("%s inside a longer word, or cut short, is left alone", (token, _type, masked = undefined) => {
  // A webhook URL is one whatever precedes it; its secret path cut short is not one.
  if (!masked) expect(scanner.scan(`x${token}`)).toEqual([]);
  expect(scanner.scan(`${token.slice(0, masked ? token.length - 10 : 20)} `)).toEqual([]);
});

test("every vendor format has a row in the table above", () => {
  const tested = new Set(TABLE.map(([, type]) => type));
  expect(VENDOR_FORMATS.map((format) => format.type).filter((type) => !tested.has(type))).toEqual([]);
});
