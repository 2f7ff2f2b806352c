/**
 * The server's last resort (Bun.serve's `error` handler in serve.ts): should anything escape
 * `instrument`, the answer is an Anthropic-shaped 500 and the log has the stack frames but never
 * the error's message (it may quote user data); Bun's HTML error page is never served.
 */
import { expect, test } from "bun:test";
import { createLogger } from "../../src/log.ts";
import { lastResortHandler } from "../../src/server/telemetry.ts";

test("lastResortHandler: an Anthropic-shaped 500 naming the request id, logged without the message", async () => {
  const lines: string[] = [];
  const handler = lastResortHandler(createLogger("debug", (line) => lines.push(line)));
  const response = handler(new TypeError("cannot read AKIAIOSFODNN7EXAMPLE of undefined"));
  expect(response.status).toBe(500);
  expect(response.headers.get("content-type")).toBe("application/json");
  const requestId = response.headers.get("request-id")!;
  expect(requestId).toMatch(/^req_proxy_[0-9a-f]{32}$/);
  expect(await response.json()).toEqual({
    type: "error",
    error: { type: "api_error", message: `Internal proxy error; operators can find request ${requestId} in the proxy log.` },
  });
  expect(lines.length).toBe(1);
  const entry = JSON.parse(lines[0]!);
  expect(entry).toMatchObject({ level: "error", msg: "request failed", request_id: requestId, status: 500, where: "server", error: "TypeError" });
  expect(entry.stack).toContain("at ");
  expect(lines[0]).not.toContain("AKIAIOSFODNN7EXAMPLE");
});
