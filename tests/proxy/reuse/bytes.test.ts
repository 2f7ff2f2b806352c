import { describe, expect, test } from "bun:test";
import { commonPrefix, commonSuffix } from "../../../src/proxy/reuse/bytes.ts";
import { seededRandom } from "../../fixtures/sse-builder.ts";

describe("common prefix and suffix of byte strings", () => {
  const naivePrefix = (a: Buffer, b: Buffer) => {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i;
  };
  const naiveSuffix = (a: Buffer, b: Buffer, limit: number) => {
    let i = 0;
    while (i < limit && i < a.length && i < b.length && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
    return i;
  };
  test("agree with a byte-by-byte comparison, at every block boundary and length", () => {
    const random = seededRandom(42);
    for (let round = 0; round < 300; round++) {
      const length = Math.floor(random() * 20_000);
      const a = Buffer.from(Array.from({ length }, () => Math.floor(random() * 4)));
      const b = Buffer.from(a);
      const cut = Math.floor(random() * (length + 1));
      const other = round % 3 === 0 ? b.subarray(0, cut) : Buffer.concat([b.subarray(0, cut), Buffer.from([9]), b.subarray(cut)]);
      const limit = Math.floor(random() * (length + 2));
      expect(commonPrefix(a, other)).toBe(naivePrefix(a, other));
      expect(commonSuffix(a, other, limit)).toBe(naiveSuffix(a, other, limit));
    }
  });
});
