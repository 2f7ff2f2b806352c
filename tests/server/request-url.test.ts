/**
 * routableRequest: a URL Elysia and `new URL` can read is kept; one built from a short or
 * unusable Host header is rebuilt on a fixed origin with everything else unchanged. (Bare-path
 * URLs, which only Bun's server produces, are covered over raw TCP in raw-http.test.ts.)
 */
import { expect, test } from "bun:test";
import { FIXED_ORIGIN, routableRequest } from "../../src/server/request-url.ts";

test.each(["http://localhost:8787/v1/messages?beta=true", "http://abcd/health", "http://[::1]/v1/messages/count_tokens", "http://127.0.0.1:3000/"])(
  "%s is kept as it is",
  (url) => {
    const request = new Request(url);
    expect(routableRequest(request)).toBe(request);
  },
);

test.each([
  ["http://a/health", "/health"],
  ["http://ab/v1/messages/count_tokens?beta=true", "/v1/messages/count_tokens?beta=true"],
  ["http://abc/v1/models/claude-x", "/v1/models/claude-x"],
  ["http://x/", "/"],
])("%s (a Host shorter than 4 characters) is rebuilt as %s on the fixed origin", async (url, target) => {
  const controller = new AbortController();
  const request = new Request(url, {
    method: "POST",
    headers: { "x-api-key": "k", "content-type": "application/json" },
    body: '{"a":1}',
    signal: controller.signal,
  });
  const rebuilt = routableRequest(request);
  expect(rebuilt).not.toBe(request);
  expect(rebuilt.url).toBe(`${FIXED_ORIGIN}${target}`);
  expect(rebuilt.method).toBe("POST");
  expect(Object.fromEntries(rebuilt.headers)).toEqual({ "x-api-key": "k", "content-type": "application/json" });
  expect(rebuilt.signal.aborted).toBe(false);
  controller.abort();
  expect(rebuilt.signal.aborted).toBe(true);
  expect(await rebuilt.text()).toBe('{"a":1}');
});
