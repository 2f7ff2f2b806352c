/**
 * The LLM client: @anthropic-ai/sdk pointed at ANTHROPIC_UPSTREAM_URL with the proxy's own
 * key. It hands back the raw upstream response (status, allow-listed headers, bytes) so
 * unknown fields and new event types pass through untouched. Retries are the client's job
 * (Claude Code retries), so the SDK makes exactly one attempt.
 */
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "@anthropic-ai/sdk";
import { ProxyError, errorBody } from "../errors.ts";

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

export class Upstream {
  private readonly client: Anthropic;
  private readonly apiKey: string;

  constructor(options: { baseURL: string; apiKey: string; timeoutMs?: number }) {
    this.apiKey = options.apiKey;
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
      return { status: response.status, headers: forwardableResponseHeaders(response.headers), body: response.body };
    } catch (error) {
      return errorToResponse(error);
    }
  }
}

/** Upstream HTTP errors are passed on in their own shape; transport failures become a 502. */
function errorToResponse(error: unknown): UpstreamResponse {
  if (error instanceof APIUserAbortError) throw error;
  if (error instanceof APIConnectionTimeoutError) {
    throw new ProxyError(504, "api_error", "The upstream did not answer in time; retry, or check ANTHROPIC_UPSTREAM_URL.", {}, { cause: error });
  }
  if (error instanceof APIConnectionError) {
    throw new ProxyError(502, "api_error", "Cannot reach the upstream API; check ANTHROPIC_UPSTREAM_URL and the network, then retry.", {}, { cause: error });
  }
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
