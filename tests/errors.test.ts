/**
 * The error vocabulary: each factory's status, type, message and headers, the mapping of any
 * thrown value to a ProxyError, and the exact wire shapes (JSON body, SSE event).
 */
import { describe, expect, test } from "bun:test";
import {
  ProxyError,
  StoreUnavailableError,
  badRequest,
  describeCause,
  errorBody,
  errorResponse,
  internalError,
  methodNotAllowed,
  notFound,
  sseErrorEvent,
  storeUnavailable,
  toProxyError,
  tooLarge,
  tooManyRequests,
  unauthorized,
} from "../src/errors.ts";

const STORE_MESSAGE =
  "The mapping store is unavailable, so the request was not forwarded (nothing leaves unmasked). Retry shortly; operators: run `claude-masking-proxy verify-setup`.";

describe("factories", () => {
  test.each([
    ["badRequest", badRequest("Field x is wrong."), 400, "invalid_request_error", "Field x is wrong.", {}],
    ["unauthorized", unauthorized("Send a proxy key."), 401, "authentication_error", "Send a proxy key.", {}],
    ["notFound", notFound("No such route."), 404, "not_found_error", "No such route.", {}],
    [
      "methodNotAllowed, one method",
      methodNotAllowed("GET", "/v1/messages", ["POST"]),
      405,
      "invalid_request_error",
      "GET is not supported on /v1/messages; use POST.",
      { allow: "POST" },
    ],
    [
      "methodNotAllowed, two methods",
      methodNotAllowed("POST", "/health", ["GET", "HEAD"]),
      405,
      "invalid_request_error",
      "POST is not supported on /health; use GET or HEAD.",
      { allow: "GET, HEAD" },
    ],
    [
      "tooLarge",
      tooLarge(1024),
      413,
      "request_too_large",
      "Request body exceeds the proxy limit of 1024 bytes; send a smaller request or raise MAX_BODY_BYTES.",
      {},
    ],
    ["tooManyRequests", tooManyRequests("All runs are busy.", 5), 429, "rate_limit_error", "All runs are busy.", { "retry-after": "5" }],
    ["storeUnavailable", storeUnavailable(), 503, "api_error", STORE_MESSAGE, {}],
    [
      "internalError",
      internalError("req_proxy_abc"),
      500,
      "api_error",
      "Internal proxy error; operators can find request req_proxy_abc in the proxy log.",
      {},
    ],
  ] as const)("%s", (_name, error, status, errorType, message, headers) => {
    expect(error).toBeInstanceOf(ProxyError);
    expect(error.name).toBe("ProxyError");
    expect(error.status).toBe(status);
    expect(error.errorType).toBe(errorType);
    expect(error.message).toBe(message);
    expect(error.headers).toEqual(headers);
  });

  test("storeUnavailable keeps the cause it is given", () => {
    const cause = new Error("redis down");
    expect(storeUnavailable(cause).cause).toBe(cause);
  });

  test("internalError carries no cause", () => {
    expect(internalError("req_1").cause).toBeUndefined();
  });
});

describe("toProxyError", () => {
  test("a ProxyError is returned as is", () => {
    const error = badRequest("Nope.");
    expect(toProxyError(error, "req_1")).toBe(error);
  });

  test("a StoreUnavailableError → the 503 store error with it as cause", () => {
    const failure = new StoreUnavailableError("connect ECONNREFUSED 127.0.0.1:6379");
    const mapped = toProxyError(failure, "req_1");
    expect(mapped.status).toBe(503);
    expect(mapped.errorType).toBe("api_error");
    expect(mapped.message).toBe(STORE_MESSAGE);
    expect(mapped.headers).toEqual({});
    expect(mapped.cause).toBe(failure);
  });

  test("anything else → a 500 naming the request id, with no cause and none of the original message", () => {
    const original = new TypeError("cannot read AKIAIOSFODNN7EXAMPLE of undefined");
    const mapped = toProxyError(original, "req_proxy_42");
    expect(mapped.status).toBe(500);
    expect(mapped.errorType).toBe("api_error");
    expect(mapped.message).toBe("Internal proxy error; operators can find request req_proxy_42 in the proxy log.");
    expect(mapped.message).not.toContain("AKIAIOSFODNN7EXAMPLE");
    expect(mapped.cause).toBeUndefined();
    expect("cause" in mapped).toBe(false);
  });

  test("a thrown non-Error → the same 500", () => {
    const mapped = toProxyError("a string with secret-value", "req_proxy_7");
    expect(mapped.status).toBe(500);
    expect(mapped.message).toBe("Internal proxy error; operators can find request req_proxy_7 in the proxy log.");
    expect(mapped.cause).toBeUndefined();
  });
});

describe("errorResponse", () => {
  test("JSON body, content-type and request-id", async () => {
    const response = errorResponse(notFound("No route."), "req_proxy_1");
    expect(response.status).toBe(404);
    expect(Object.fromEntries(response.headers)).toEqual({
      "content-type": "application/json",
      "request-id": "req_proxy_1",
      "x-should-retry": "false",
    });
    expect(await response.text()).toBe('{"type":"error","error":{"type":"not_found_error","message":"No route."}}');
  });

  test("no request id → no request-id header", () => {
    const response = errorResponse(badRequest("Bad."));
    expect(Object.fromEntries(response.headers)).toEqual({ "content-type": "application/json", "x-should-retry": "false" });
  });

  test("401 → x-should-retry: false", () => {
    expect(errorResponse(unauthorized("Key?"), "r").headers.get("x-should-retry")).toBe("false");
  });

  test("405 keeps the allow header, with x-should-retry: false", async () => {
    const response = errorResponse(methodNotAllowed("PUT", "/v1/mask", ["POST"]), "r");
    expect(response.status).toBe(405);
    expect(Object.fromEntries(response.headers)).toEqual({
      allow: "POST",
      "content-type": "application/json",
      "request-id": "r",
      "x-should-retry": "false",
    });
    expect(await response.text()).toBe(
      '{"type":"error","error":{"type":"invalid_request_error","message":"PUT is not supported on /v1/mask; use POST."}}',
    );
  });

  test("429 keeps retry-after and is retryable (no x-should-retry)", () => {
    const response = errorResponse(tooManyRequests("Busy.", 5), "r");
    expect(response.status).toBe(429);
    expect(Object.fromEntries(response.headers)).toEqual({ "content-type": "application/json", "request-id": "r", "retry-after": "5" });
  });

  test("5xx → no x-should-retry", async () => {
    const response = errorResponse(storeUnavailable(new Error("down")), "r");
    expect(response.status).toBe(503);
    expect(Object.fromEntries(response.headers)).toEqual({ "content-type": "application/json", "request-id": "r" });
    expect(await response.text()).toBe(`{"type":"error","error":{"type":"api_error","message":${JSON.stringify(STORE_MESSAGE)}}}`);
  });

  test("499, the top of the 4xx range → x-should-retry: false", () => {
    expect(errorResponse(new ProxyError(499, "api_error", "x"), "r").headers.get("x-should-retry")).toBe("false");
  });

  test("500, the bottom of the 5xx range → no x-should-retry", () => {
    expect(errorResponse(new ProxyError(500, "api_error", "x"), "r").headers.has("x-should-retry")).toBe(false);
  });

  test("a 3xx-range status is not told not to retry", () => {
    expect(errorResponse(new ProxyError(399, "api_error", "x"), "r").headers.has("x-should-retry")).toBe(false);
  });
});

describe("wire strings", () => {
  test("errorBody", () => {
    expect(errorBody("overloaded_error", "Overloaded.")).toBe('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded."}}');
  });

  test("errorBody escapes quotes, newlines and non-ASCII as JSON", () => {
    expect(errorBody("api_error", 'say "hi"\nthen €')).toBe('{"type":"error","error":{"type":"api_error","message":"say \\"hi\\"\\nthen €"}}');
  });

  test("sseErrorEvent", () => {
    expect(sseErrorEvent("api_error", "Stopped.")).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"Stopped."}}\n\n',
    );
  });
});

describe("describeCause", () => {
  test("a chain of causes with a code → each as `Name (CODE): message`", () => {
    const socket = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6379"), { code: "ECONNREFUSED" });
    const store = new StoreUnavailableError("store ping failed", { cause: socket });
    const top = storeUnavailable(store);
    expect(describeCause(top)).toBe(
      "StoreUnavailableError: store ping failed <- Error (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:6379",
    );
  });

  test("no cause → undefined", () => {
    expect(describeCause(new Error("alone"))).toBeUndefined();
    expect(describeCause(internalError("r"))).toBeUndefined();
  });

  test("not an object → undefined", () => {
    expect(describeCause(undefined)).toBeUndefined();
    expect(describeCause("text")).toBeUndefined();
  });

  test("a numeric code is left out", () => {
    const cause = Object.assign(new Error("refused"), { code: 111 });
    expect(describeCause(new Error("top", { cause }))).toBe("Error: refused");
  });

  test("a non-Error cause is stringified and ends the chain", () => {
    expect(describeCause(new Error("top", { cause: "plain reason" }))).toBe("plain reason");
  });

  test("messages are cut at 200 characters", () => {
    const cause = new Error("x".repeat(250));
    expect(describeCause(new Error("top", { cause }))).toBe(`Error: ${"x".repeat(200)}`);
  });

  test("at most four causes are listed", () => {
    let error: Error = new Error("e5");
    for (const name of ["e4", "e3", "e2", "e1"]) error = new Error(name, { cause: error });
    const top = new Error("top", { cause: error });
    expect(describeCause(top)).toBe("Error: e1 <- Error: e2 <- Error: e3 <- Error: e4");
  });
});
