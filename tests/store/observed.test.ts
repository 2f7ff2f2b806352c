/** Store failures are counted by a bounded cause, read from what the engine says went wrong. */
import { expect, test } from "bun:test";
import { openStore } from "../../src/store/index.ts";
import { storeErrorCause, type StoreErrorCause } from "../../src/store/observed.ts";
import { StoreUnavailableError } from "../../src/store/types.ts";
import { UNREACHABLE_REDIS_URL } from "../helpers/redis.ts";

test("a Redis nobody listens on: the failed call is observed with cause `refused`", async () => {
  const seen: [string, boolean, StoreErrorCause | undefined][] = [];
  const store = await openStore({ url: UNREACHABLE_REDIS_URL, secret: "s".repeat(40), ttlMs: 60_000, commandTimeoutMs: 300, observe: (operation, _s, ok, cause) => seen.push([operation, ok, cause]) });
  try {
    await expect(store.getOrCreate("t", [{ type: "ec2_instance", prefix: "AWS_EC2", original: "i-0a1b2c3d4e5f67890" }])).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(seen).toEqual([["get_or_create", false, "refused"]]);
  } finally {
    await store.close();
  }
});

test.each([
  [new StoreUnavailableError("Redis store unavailable: Error; last connection error: Error (ENOTFOUND): getaddrinfo ENOTFOUND redis.internal"), "dns"],
  [new StoreUnavailableError("Redis store unavailable: Error; last connection error: ReplyError: WRONGPASS invalid username-password pair"), "auth"],
  [new StoreUnavailableError("Redis store unavailable: TimeoutError"), "timeout"],
  [new StoreUnavailableError("Redis store unavailable: ClientClosedError"), "unavailable"],
  [new Error("disk I/O error"), "error"],
] as const)("%p → %s", (error, cause) => expect(storeErrorCause(error)).toBe(cause));
