/**
 * The LLM client: @anthropic-ai/sdk pointed at ANTHROPIC_UPSTREAM_URL with the proxy's own
 * key. It hands back the raw upstream response (status, allow-listed headers, bytes) so
 * unknown fields and new event types pass through untouched. Retries are the client's job
 * (Claude Code retries), so the SDK makes exactly one attempt.
 */
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "@anthropic-ai/sdk";
import { ProxyError, errorBody } from "../errors.ts";
import { classifyNetworkFailure } from "../network-failure.ts";

export interface UpstreamRequest {
  method: "get" | "post";
  /** Path and query string, e.g. `/v1/messages?beta=true`. */
  path: string;
  /** The client's request headers; only `anthropic-*` ones are forwarded. */
  clientHeaders: Headers;
  body?: string | Uint8Array;
  signal?: AbortSignal;
}

export interface UpstreamResponse {
  status: number;
  headers: Headers;
  body: ReadableStream<Uint8Array> | null;
}

/**
 * Whatever answers the proxy's masked calls: Anthropic's API or a compatible gateway (below),
 * or Amazon Bedrock (bedrock-upstream.ts). Requests and answers are in the Anthropic shape
 * (JSON, or SSE for streams) whatever the provider speaks on the wire.
 */
export interface UpstreamClient {
  send(request: UpstreamRequest): Promise<UpstreamResponse>;
}

/** Response headers worth passing on: ids for support tickets and rate-limit guidance. */
export function forwardableResponseHeaders(from: Headers): Headers {
  const headers = new Headers();
  for (const [name, value] of from) {
    if (name === "request-id" || name === "retry-after" || name === "x-should-retry" || name === "content-type" || name.startsWith("anthropic-")) {
      headers.set(name, value);
    }
  }
  return headers;
}

function forwardableRequestHeaders(from: Headers): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of from) if (name.startsWith("anthropic-")) headers[name] = value;
  return headers;
}

export class Upstream implements UpstreamClient {
  private readonly client: Anthropic;
  private readonly apiKey: string;

  private readonly onOutcome?: (outcome: UpstreamOutcome) => void;

  constructor(options: { baseURL: string; apiKey: string; timeoutMs?: number; onOutcome?: (outcome: UpstreamOutcome) => void }) {
    this.apiKey = options.apiKey;
    this.onOutcome = options.onOutcome;
    this.client = new Anthropic({
      baseURL: options.baseURL,
      apiKey: options.apiKey,
      authToken: null,
      maxRetries: 0,
      timeout: options.timeoutMs ?? 10 * 60_000,
    });
  }

  async send(request: UpstreamRequest): Promise<UpstreamResponse> {
    const headers: Record<string, string> = forwardableRequestHeaders(request.clientHeaders);
    // The SDK authenticates with a Bearer header; gateways such as LiteLLM often read x-api-key.
    headers["x-api-key"] = this.apiKey;
    if (request.body !== undefined) headers["content-type"] = "application/json";
    try {
      const response = await this.client
        .request({ method: request.method, path: request.path, body: request.body, headers, signal: request.signal })
        .asResponse();
      this.onOutcome?.(outcomeOf(response.status));
      return { status: response.status, headers: forwardableResponseHeaders(response.headers), body: response.body };
    } catch (error) {
      if (error instanceof APIError && error.status !== undefined) this.onOutcome?.(outcomeOf(error.status));
      else if (error instanceof APIConnectionError) this.onOutcome?.("transport");
      return errorToResponse(error);
    }
  }
}

/**
 * What the upstream said, for the operator's metrics: its status class, or `transport` when it
 * could not be reached at all.
 */
export type UpstreamOutcome = "1xx" | "2xx" | "3xx" | "4xx" | "5xx" | "transport";

export const outcomeOf = (status: number): UpstreamOutcome => `${Math.min(5, Math.max(1, Math.floor(status / 100)))}xx` as UpstreamOutcome;

/** A retry cannot fix it: Claude Code and the SDK honour this header and fail at once. */
const DO_NOT_RETRY = { "x-should-retry": "false" };

/**
 * The upstream refused the proxy's own key (clients' keys are never forwarded): a 401 passed
 * on would read as the user's key being wrong, and Claude Code would ask them to log in, then
 * retry for minutes. It is the operator's to fix.
 */
export const upstreamKeyRefused = (status: number, cause?: unknown) =>
  new ProxyError(
    502,
    "api_error",
    `The proxy's upstream key was refused (the upstream answered HTTP ${status}); your own key is fine. The operator must fix ANTHROPIC_API_KEY on the proxy host.`,
    DO_NOT_RETRY,
    { cause },
  );

/** A connection that failed, as the 502 that says whether retrying can help. */
export function transportFailure(error: Error, setting = "ANTHROPIC_UPSTREAM_URL"): ProxyError {
  const failure = classifyNetworkFailure(error);
  if (!failure.retryable) {
    const what = { dns: "its name does not resolve", refused: "the connection was refused", tls: "the TLS handshake failed" }[failure.kind as "dns" | "refused" | "tls"];
    return new ProxyError(
      502,
      "api_error",
      `The proxy cannot reach its upstream API: ${what}. Retrying will not help; the operator must fix ${setting} or the network of the proxy host.`,
      DO_NOT_RETRY,
      { cause: error },
    );
  }
  return new ProxyError(502, "api_error", `Cannot reach the upstream API; check ${setting} and the network, then retry.`, {}, { cause: error });
}

/**
 * Upstream HTTP errors are passed on in their own shape, except a refused upstream key;
 * transport failures become a 502 (a 504 for a timeout) that says whether retrying can help.
 */
function errorToResponse(error: unknown): UpstreamResponse {
  if (error instanceof APIUserAbortError) throw error;
  if (error instanceof APIConnectionTimeoutError) {
    throw new ProxyError(504, "api_error", "The upstream did not answer in time; retry, or check ANTHROPIC_UPSTREAM_URL.", {}, { cause: error });
  }
  if (error instanceof APIConnectionError) throw transportFailure(error);
  if (error instanceof APIError && error.status === 401) throw upstreamKeyRefused(401, error);
  if (error instanceof APIError && error.status !== undefined) {
    const body =
      typeof error.error === "object" && error.error !== null
        ? JSON.stringify(error.error)
        : errorBody("api_error", `Upstream returned HTTP ${error.status} without an error body.`);
    const headers = error.headers ? forwardableResponseHeaders(error.headers) : new Headers();
    headers.set("content-type", "application/json");
    return { status: error.status, headers, body: new Response(body).body };
  }
  throw error;
}
