/**
 * The proxy's shared error vocabulary, at the bottom of the house: every layer imports it, it
 * imports nothing of ours. One status-keyed error family, and the single place that turns any
 * error into the Anthropic wire shape (JSON body, or an SSE `error` event mid-stream). Claude
 * Code and the SDK print `error.message`, so messages say what to do; they never carry user
 * text or internal values. The underlying failure travels as `cause`, for the log only.
 */

export type AnthropicErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "request_too_large"
  | "rate_limit_error"
  | "api_error"
  | "overloaded_error";

export class ProxyError extends Error {
  override name = "ProxyError";
  constructor(
    readonly status: number,
    readonly errorType: AnthropicErrorType,
    message: string,
    readonly headers: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Thrown by every store engine when the backing store cannot answer; answered with 503. */
export class StoreUnavailableError extends Error {
  override name = "StoreUnavailableError";
}

export const badRequest = (message: string) => new ProxyError(400, "invalid_request_error", message);
export const unauthorized = (message: string) => new ProxyError(401, "authentication_error", message);
export const notFound = (message: string) => new ProxyError(404, "not_found_error", message);
export const methodNotAllowed = (method: string, path: string, allowed: readonly string[]) =>
  new ProxyError(405, "invalid_request_error", `${method} is not supported on ${path}; use ${allowed.join(" or ")}.`, {
    allow: allowed.join(", "),
  });
export const tooLarge = (limit: number) =>
  new ProxyError(
    413,
    "request_too_large",
    `Request body exceeds the proxy limit of ${limit} bytes; send a smaller request or raise MAX_BODY_BYTES.`,
  );
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new ProxyError(429, "rate_limit_error", message, { "retry-after": String(retryAfterSeconds) });
export const storeUnavailable = (cause?: unknown) =>
  new ProxyError(
    503,
    "api_error",
    "The mapping store is unavailable, so the request was not forwarded (nothing leaves unmasked). Retry shortly; operators: run `claude-masking-proxy verify-setup`.",
    {},
    { cause },
  );
/** No cause attached: an unexpected error's message may quote user data (the log gets its stack frames). */
export const internalError = (requestId: string) =>
  new ProxyError(500, "api_error", `Internal proxy error; operators can find request ${requestId} in the proxy log.`);

/** Maps any thrown value to a ProxyError; unknown errors become a generic 500 that leaks nothing. */
export function toProxyError(error: unknown, requestId: string): ProxyError {
  if (error instanceof ProxyError) return error;
  if (error instanceof StoreUnavailableError) return storeUnavailable(error);
  return internalError(requestId);
}

/** The Anthropic error body: `{"type":"error","error":{"type":…,"message":…}}`. */
export function errorBody(errorType: AnthropicErrorType, message: string): string {
  return JSON.stringify({ type: "error", error: { type: errorType, message } });
}

/** The same error as an SSE event, for a stream that has already begun. */
export function sseErrorEvent(errorType: AnthropicErrorType, message: string): string {
  return `event: error\ndata: ${errorBody(errorType, message)}\n\n`;
}

export function errorResponse(error: ProxyError, requestId?: string): Response {
  const headers: Record<string, string> = { "content-type": "application/json", ...error.headers };
  if (requestId) headers["request-id"] = requestId;
  // Claude Code retries 4xx like 401/429 for minutes unless told not to; our own client
  // errors will not change on retry (429 from the runner limit is the exception).
  if (error.status >= 400 && error.status < 500 && error.status !== 429) headers["x-should-retry"] = "false";
  return new Response(errorBody(error.errorType, error.message), { status: error.status, headers });
}

/**
 * Why an error happened, for the log: each `cause` down the chain as `Name (CODE): message`.
 * Only for causes we chose to attach (transport and store failures), whose messages are the
 * runtime's and the store engine's, never user text.
 */
export function describeCause(error: unknown): string | undefined {
  const reasons: string[] = [];
  for (let cause = (error as { cause?: unknown })?.cause; cause !== undefined && reasons.length < 4; cause = (cause as { cause?: unknown }).cause) {
    if (!(cause instanceof Error)) {
      reasons.push(String(cause).slice(0, 200));
      break;
    }
    const code = (cause as { code?: unknown }).code;
    reasons.push(`${cause.name}${typeof code === "string" ? ` (${code})` : ""}: ${cause.message.slice(0, 200)}`);
  }
  return reasons.length ? reasons.join(" <- ") : undefined;
}
