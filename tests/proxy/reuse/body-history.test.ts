import { describe, expect, test } from "bun:test";
import { BodyHistory } from "../../../src/proxy/reuse/body-history.ts";
import type { RememberedBody } from "../../../src/proxy/reuse/pieces.ts";

/** A body of `length` bytes, all `fill`: bodies of different fills share no beginning. */
const remembered = (length: number, fill: number): RememberedBody => ({ bytes: Buffer.alloc(length, fill), pieces: [] });

describe("body history", () => {
  test("closest is the body sharing the longest beginning, not merely the most recent", () => {
    const history = new BodyHistory({ maxBytes: 1 << 20, maxAgeMs: 60_000 });
    const conversation = remembered(3_000, 1);
    history.remember("acme", conversation);
    history.remember("acme", remembered(3_000, 2)); // another conversation, more recent
    const next = Buffer.concat([conversation.bytes, Buffer.from("the next turn")]);
    expect(history.closest("acme", next)).toEqual({ body: conversation, shared: 3_000 });
  });

  test("a shared beginning shorter than 1 KB is not a match", () => {
    const history = new BodyHistory({ maxBytes: 1 << 20, maxAgeMs: 60_000 });
    history.remember("acme", remembered(1_023, 1));
    expect(history.closest("acme", Buffer.alloc(5_000, 1))).toBeUndefined();
    history.remember("acme", remembered(1_024, 1));
    expect(history.closest("acme", Buffer.alloc(5_000, 1))?.shared).toBe(1_024);
  });

  test("tenants never see each other's bodies", () => {
    const history = new BodyHistory({ maxBytes: 1 << 20, maxAgeMs: 60_000 });
    history.remember("acme", remembered(2_000, 1));
    expect(history.closest("globex", Buffer.alloc(2_000, 1))).toBeUndefined();
  });

  test("each tenant keeps at most perTenant bodies, the most recent ones", () => {
    const history = new BodyHistory({ maxBytes: 1 << 20, maxAgeMs: 60_000, perTenant: 2 });
    const [a, b, c] = [remembered(2_000, 1), remembered(2_000, 2), remembered(2_000, 3)];
    for (const body of [a, b, c]) history.remember("acme", body);
    expect(history.closest("acme", a.bytes)).toBeUndefined();
    expect(history.closest("acme", b.bytes)?.body).toBe(b);
    expect(history.closest("acme", c.bytes)?.body).toBe(c);
  });

  test("over the byte bound, the least recently used tenant's bodies go first", () => {
    const history = new BodyHistory({ maxBytes: 10_000, maxAgeMs: 60_000 });
    const acme = remembered(2_000, 1);
    history.remember("acme", acme);
    history.remember("other", remembered(9_000, 2));
    expect(history.closest("acme", acme.bytes)).toBeUndefined();
    expect(history.closest("other", Buffer.alloc(9_000, 2))).toBeDefined();
  });

  test("the body a new one grew from is forgotten, and so is an identical one (they do not take a place)", () => {
    const history = new BodyHistory({ maxBytes: 1 << 20, maxAgeMs: 60_000, perTenant: 2 });
    const other = remembered(2_000, 3);
    history.remember("acme", other);
    const first = remembered(2_000, 1);
    history.remember("acme", first);
    const grown = remembered(2_500, 1);
    history.remember("acme", grown, first);
    expect(history.closest("acme", other.bytes)?.body).toBe(other);
    const twin = remembered(2_500, 1);
    history.remember("acme", twin);
    expect(history.closest("acme", other.bytes)?.body).toBe(other);
    expect(history.closest("acme", grown.bytes)?.body).toBe(twin);
  });
});
