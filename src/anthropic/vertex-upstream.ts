/**
 * Google Vertex AI as the upstream: clients keep speaking the Anthropic Messages API to the
 * proxy, and the proxy calls Vertex's `rawPredict` / `streamRawPredict` for Anthropic's models
 * through @anthropic-ai/vertex-sdk, in the proxy's own Google identity (application-default
 * credentials: a service-account key, workload identity federation, the metadata server).
 * Vertex answers in Anthropic's own JSON and SSE, so only the request, the model names and the
 * errors differ from the Anthropic upstream.
 */
import { AnthropicVertex } from "@anthropic-ai/vertex-sdk";
import { APIConnectionError, APIError, APIUserAbortError } from "@anthropic-ai/sdk";
import { GoogleAuth } from "google-auth-library";
import { ProxyError, errorBody, type AnthropicErrorType } from "../errors.ts";
import { forwardableResponseHeaders, outcomeOf, transportFailure, type UpstreamClient, type UpstreamOutcome, type UpstreamRequest, type UpstreamResponse } from "./upstream.ts";

/** Aliases to the dated names Vertex publishes (`claude-sonnet-4-5` → `claude-sonnet-4-5@20250929`). */
const VERTEX_ALIASES: Readonly<Record<string, string>> = {
  "claude-opus-4-1": "claude-opus-4-1@20250805",
  "claude-opus-4-5": "claude-opus-4-5@20251101",
  "claude-opus-4-0": "claude-opus-4@20250514",
  "claude-sonnet-4-5": "claude-sonnet-4-5@20250929",
  "claude-sonnet-4-0": "claude-sonnet-4@20250514",
  "claude-haiku-4-5": "claude-haiku-4-5@20251001",
  "claude-3-5-sonnet-20241022": "claude-3-5-sonnet-v2@20241022",
};

/**
 * The Vertex model for a name: an alias's dated name; a dated name with its date after `@`
 * (`claude-opus-4-1-20250805` → `claude-opus-4-1@20250805`); a Vertex name or an undated one
 * (`claude-opus-5-5`) as it is; MODEL_MAP's entries first. Anything else is undefined (a 400).
 */
export function vertexModel(name: string, overrides: Readonly<Record<string, string>> = {}): string | undefined {
  if (overrides[name]) return overrides[name];
  if (VERTEX_ALIASES[name]) return VERTEX_ALIASES[name];
  if (/^claude-[a-z0-9.-]+@\d{8}$/.test(name)) return name;
  const dated = /^(claude-[a-z0-9.-]+?)-(\d{8})$/.exec(name);
  if (dated) return `${dated[1]}@${dated[2]}`;
  return /^claude-[a-z0-9.-]+$/.test(name) ? name : undefined;
}

export interface VertexUpstreamOptions {
  region: string;
  projectId: string;
  /** Another endpoint than the region's aiplatform host (a Private Service Connect one, a test stand-in). */
  baseURL?: string;
  /** MODEL_MAP: model names to Vertex model names, before the built-in rules. */
  models?: Readonly<Record<string, string>>;
  timeoutMs?: number;
  onOutcome?: (outcome: UpstreamOutcome) => void;
}

const DO_NOT_RETRY = { "x-should-retry": "false" };

export class VertexUpstream implements UpstreamClient {
  private readonly client: AnthropicVertex;
  private readonly onOutcome?: (outcome: UpstreamOutcome) => void;
  private readonly models: Readonly<Record<string, string>>;

  constructor(options: VertexUpstreamOptions) {
    this.onOutcome = options.onOutcome;
    this.models = options.models ?? {};
    this.client = new AnthropicVertex({
      region: options.region,
      projectId: options.projectId,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      // The project is given: no lookup of it through Google's resource manager.
      googleAuth: new GoogleAuth({ scopes: "https://www.googleapis.com/auth/cloud-platform", projectId: options.projectId }),
      maxRetries: 0,
      timeout: options.timeoutMs ?? 10 * 60_000,
    });
  }

  async send(request: UpstreamRequest): Promise<UpstreamResponse> {
    const path = request.path.split("?")[0]!;
    if (request.method !== "post" || (path !== "/v1/messages" && path !== "/v1/messages/count_tokens")) {
      throw new ProxyError(404, "not_found_error", `${path} is not served on Google Vertex through this proxy.`);
    }
    const body = JSON.parse(typeof request.body === "string" ? request.body : Buffer.from(request.body ?? "").toString("utf8")) as Record<string, unknown>;
    const model = String(body.model ?? "");
    const id = vertexModel(model, this.models);
    if (!id) throw new ProxyError(400, "invalid_request_error", `The model ${JSON.stringify(model)} is not a Claude model Vertex serves; the operator can map it in MODEL_MAP.`, DO_NOT_RETRY);
    body.model = id;
    // Vertex's documented version, in the body (the SDK would copy the Messages API's in).
    body.anthropic_version = "vertex-2023-10-16";
    const headers: Record<string, string | null> = { "anthropic-version": null };
    const betas = request.clientHeaders.get("anthropic-beta");
    if (betas) headers["anthropic-beta"] = betas;
    try {
      const response = await this.client.request({ method: "post", path, body, headers, signal: request.signal }).asResponse();
      this.onOutcome?.(outcomeOf(response.status));
      return { status: response.status, headers: forwardableResponseHeaders(response.headers), body: response.body };
    } catch (error) {
      if (error instanceof APIUserAbortError) throw error;
      if (error instanceof APIConnectionError) {
        this.onOutcome?.("transport");
        if (error.message.startsWith("Failed to acquire Google OAuth credentials")) {
          throw new ProxyError(
            502,
            "api_error",
            "The proxy could not get Google credentials for Vertex. The operator must give it an identity (GOOGLE_APPLICATION_CREDENTIALS: a service-account key or workload identity federation, or the metadata server).",
            DO_NOT_RETRY,
            { cause: error },
          );
        }
        throw transportFailure(error, "VERTEX_REGION (or VERTEX_BASE_URL)");
      }
      if (error instanceof APIError && error.status !== undefined) {
        this.onOutcome?.(outcomeOf(error.status));
        return vertexError(error);
      }
      throw error;
    }
  }
}

/** Google's errors (`{"error": {"code", "message", "status"}}`) and Anthropic's, in Anthropic's shape. */
function vertexError(error: APIError): UpstreamResponse {
  const body = (typeof error.error === "object" && error.error !== null ? error.error : {}) as { type?: unknown; error?: { message?: unknown; status?: unknown; type?: unknown } };
  // The model's own errors are Anthropic's already: passed on as they came.
  if (body.type === "error" && typeof body.error?.type === "string" && error.status !== 401) {
    const headers = error.headers ? forwardableResponseHeaders(error.headers) : new Headers();
    headers.set("content-type", "application/json");
    return { status: error.status!, headers, body: new Response(JSON.stringify(body)).body };
  }
  const inner = body.error ?? {};
  const message = String(inner.message ?? `HTTP ${error.status}`);
  const googleStatus = typeof inner.status === "string" ? inner.status : undefined;
  let status = error.status!;
  let type: AnthropicErrorType = typeof inner.type === "string" && !googleStatus ? (inner.type as AnthropicErrorType) : status === 429 ? "rate_limit_error" : status >= 500 ? "api_error" : "invalid_request_error";
  let hint = "";
  if (status === 401) {
    status = 502;
    type = "api_error";
    hint = " The proxy's Google credentials were refused; the operator must fix them.";
  } else if (status === 403) {
    type = "permission_error";
    hint = " The proxy's Google identity needs the Vertex AI User role (aiplatform.endpoints.predict) on this project, and the model enabled in Model Garden.";
  } else if (status === 404) {
    type = "not_found_error";
    hint = " Check the model name and that it is offered in VERTEX_REGION.";
  }
  const headers = error.headers ? forwardableResponseHeaders(error.headers) : new Headers();
  headers.set("content-type", "application/json");
  if (status !== 429 && status < 500) headers.set("x-should-retry", "false");
  if (status === 502) headers.set("x-should-retry", "false");
  const text = googleStatus || hint ? `Google Vertex: ${message}${googleStatus ? ` (${googleStatus})` : ""}.${hint}` : message;
  return { status, headers, body: new Response(errorBody(type, text)).body };
}
