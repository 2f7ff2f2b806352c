/** Failed connections classified by the runtime's code, down the cause chain. */
import { expect, test } from "bun:test";
import { classifyNetworkFailure, describeNetworkFailure } from "../src/network-failure.ts";

const withCode = (code: string | number, name = "TypeError") => Object.assign(new Error("x"), { name, code });
const wrapped = (cause: unknown) => new Error("Connection error.", { cause });

test.each([
  ["ENOTFOUND", "dns", false],
  ["EAI_AGAIN", "dns", false],
  ["ECONNREFUSED", "refused", false],
  ["EHOSTUNREACH", "refused", false],
  ["EPROTO", "tls", false],
  ["DEPTH_ZERO_SELF_SIGNED_CERT", "tls", false],
  ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "tls", false],
  ["ERR_TLS_CERT_ALTNAME_INVALID", "tls", false],
  ["ETIMEDOUT", "timeout", true],
  ["ECONNRESET", "reset", true],
  ["EWHATEVER", "other", true],
] as const)("%s → %s (retryable: %s), found below the error that wraps it", (code, kind, retryable) => {
  expect(classifyNetworkFailure(wrapped(wrapped(withCode(code))))).toEqual(kind === "other" ? { kind, retryable } : { kind, code, retryable });
});

test("a TimeoutError without a code, and no code at all", () => {
  expect(classifyNetworkFailure(wrapped(Object.assign(new Error("t"), { name: "TimeoutError" })))).toEqual({ kind: "timeout", code: undefined, retryable: true });
  expect(classifyNetworkFailure(new Error("plain"))).toEqual({ kind: "other", retryable: true });
  expect(classifyNetworkFailure(undefined)).toEqual({ kind: "other", retryable: true });
});

test("the sentence names the place and the code", () => {
  expect(describeNetworkFailure({ kind: "dns", code: "ENOTFOUND", retryable: false }, "api.example.com")).toBe(
    "the name of api.example.com does not resolve (ENOTFOUND): check the host name and this machine's DNS",
  );
  expect(describeNetworkFailure({ kind: "refused", code: "ECONNREFUSED", retryable: false }, "127.0.0.1:9")).toBe(
    "127.0.0.1:9 refused the connection (ECONNREFUSED): nothing listens on that address and port, or a firewall rejects it",
  );
  expect(describeNetworkFailure({ kind: "timeout", retryable: true }, "x")).toBe("x did not answer in time: check the network path, proxies and firewall");
});
