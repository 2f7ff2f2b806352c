/**
 * Amazon Bedrock as the upstream: clients keep speaking the Anthropic Messages API to the proxy,
 * and the proxy calls Bedrock's InvokeModel / InvokeModelWithResponseStream in its own AWS
 * identity through @anthropic-ai/bedrock-sdk, which rewrites the request into Bedrock's shape
 * (model in the path, `anthropic_version` and `anthropic_beta` in the body), signs it with
 * SigV4 (or sends a Bedrock API key), and turns Bedrock's binary event stream back into the
 * Anthropic SSE the rest of the proxy restores. What differs from the Anthropic upstream is
 * here: the model map, the routes Bedrock lacks, and Bedrock's errors in Anthropic's shape.
 */
import { AnthropicBedrock } from "@anthropic-ai/bedrock-sdk";
import { APIConnectionError, APIError, APIUserAbortError } from "@anthropic-ai/sdk";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { ProxyError, errorBody, type AnthropicErrorType } from "../errors.ts";
import { topLevelMembers } from "../json.ts";
import type { ModelMap } from "./model-map.ts";
import { forwardableResponseHeaders, outcomeOf, type UpstreamClient, type UpstreamOutcome, type UpstreamRequest, type UpstreamResponse, transportFailure } from "./upstream.ts";

export interface BedrockUpstreamOptions {
  region: string;
  models: ModelMap;
  /** A Bedrock API key (AWS_BEARER_TOKEN_BEDROCK); without one, SigV4 with the credential chain. */
  apiKey?: string;
  /** Another endpoint than bedrock-runtime.REGION.amazonaws.com (a VPC endpoint, a test stand-in). */
  baseURL?: string;
  /** The AWS credential chain; the standard Node chain (env, profiles and SSO, web identity, ECS, EC2) by default. */
  credentials?: AwsCredentialIdentityProvider;
  timeoutMs?: number;
  onOutcome?: (outcome: UpstreamOutcome) => void;
  /** The fetch the client sends with (tests put a man in the middle here). */
  fetch?: typeof fetch;
}

/**
 * Credentials resolved once and kept until five minutes before they expire: the SDK would
 * otherwise walk the whole chain (files, IMDS) on every request.
 */
export function cachedCredentials(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  const fresh = (credentials: AwsCredentialIdentity) => !credentials.expiration || credentials.expiration.getTime() - Date.now() > 5 * 60_000;
  return async () => {
    if (current) {
      const credentials = await current.catch(() => undefined);
      if (credentials && fresh(credentials)) return credentials;
    }
    current = provider();
    return current;
  };
}

/** The standard chain: environment first (as the AWS CLI does), then the Node default chain. */
export async function defaultCredentialChain(): Promise<AwsCredentialIdentityProvider> {
  const { createCredentialChain, fromEnv, fromNodeProviderChain } = await import("@aws-sdk/credential-providers");
  return createCredentialChain(fromEnv(), fromNodeProviderChain());
}

export class BedrockUpstream implements UpstreamClient {
  private readonly client: AnthropicBedrock;
  private readonly models: ModelMap;
  private readonly onOutcome?: (outcome: UpstreamOutcome) => void;

  private readonly usesApiKey: boolean;

  constructor(options: BedrockUpstreamOptions) {
    this.models = options.models;
    this.usesApiKey = options.apiKey !== undefined;
    this.onOutcome = options.onOutcome;
    let chain: Promise<AwsCredentialIdentityProvider> | undefined;
    const credentials = () => (chain ??= (options.credentials ? Promise.resolve(options.credentials) : defaultCredentialChain()).then(cachedCredentials));
    this.client = new AnthropicBedrock({
      awsRegion: options.region,
      baseURL: options.baseURL ?? `https://bedrock-runtime.${options.region}.amazonaws.com`,
      // null, not undefined: never the AWS_BEARER_TOKEN_BEDROCK of the proxy's environment by accident.
      apiKey: options.apiKey ?? null,
      providerChainResolver: options.apiKey ? null : credentials,
      maxRetries: 0,
      timeout: options.timeoutMs ?? 10 * 60_000,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  async send(request: UpstreamRequest): Promise<UpstreamResponse> {
    const path = request.path.split("?")[0]!;
    if (request.method === "get" && path === "/v1/models") return this.modelList();
    if (request.method === "get" && path.startsWith("/v1/models/")) return this.model(decodeURIComponent(path.slice("/v1/models/".length)));
    const counting = path === "/v1/messages/count_tokens";
    if (request.method !== "post" || (path !== "/v1/messages" && !counting)) throw new ProxyError(404, "not_found_error", `${path} has no Amazon Bedrock counterpart.`);

    // The body is rewritten member by member, not parsed whole: a 200 KB history costs ~1 ms
    // to scan, against ~10 ms to parse and serialise it twice (once here, once in the SDK).
    const text = typeof request.body === "string" ? request.body : Buffer.from(request.body ?? "").toString("utf8");
    const members = topLevelMembers(text);
    if (!members) throw new ProxyError(400, "invalid_request_error", "Invalid request: the body must be a JSON object.", { "x-should-retry": "false" });
    const valueOf = (key: string): unknown => {
      const member = members.find((m) => m.key === key);
      return member ? JSON.parse(text.slice(member.valueStart, member.valueEnd)) : undefined;
    };
    const model = String(valueOf("model") ?? "");
    const id = this.models.bedrockId(model);
    if (!id) {
      throw new ProxyError(
        400,
        "invalid_request_error",
        `The model ${JSON.stringify(model)} has no Amazon Bedrock mapping on this proxy; the operator can add it to MODEL_MAP (e.g. {"${model}": "us.anthropic.…-v1:0"}).`,
        { "x-should-retry": "false" },
      );
    }
    const bodyBetas = valueOf("anthropic_beta");
    const headerBetas = (request.clientHeaders.get("anthropic-beta") ?? "").split(",").map((beta) => beta.trim()).filter(Boolean);
    const betas = [...new Set([...headerBetas, ...(Array.isArray(bodyBetas) ? bodyBetas.map(String) : [])])];
    // Bedrock's shape: no model or stream in the body (the path says them), its documented version, the betas.
    const kept = members.filter((m) => !BEDROCK_MOVED.has(m.key)).map((m) => text.slice(m.start, m.end));
    const tail = [`"anthropic_version":"bedrock-2023-05-31"`, ...(betas.length ? [`"anthropic_beta":${JSON.stringify(betas)}`] : [])];
    try {
      if (counting) return await this.countTokens(id, `{${[...(members.some((m) => m.key === "max_tokens") ? [] : [`"max_tokens":1`]), ...kept, ...tail].join(",")}}`, request.signal);
      const stream = valueOf("stream") === true;
      const wire = Buffer.from(`{${[...kept, ...tail].join(",")}}`);
      const headers: Record<string, string | null> = {
        "content-type": "application/json",
        accept: stream ? "application/vnd.amazon.eventstream" : "application/json",
        // The version and betas travel in the body; nothing else of the client's goes to Bedrock.
        "anthropic-version": null,
        "anthropic-beta": null,
      };
      // SigV4 covers the body through its SHA-256: computed natively here rather than in the
      // signer's JavaScript (~2 ms per 200 KB).
      if (!this.usesApiKey) headers["x-amz-content-sha256"] = new Bun.CryptoHasher("sha256").update(wire).digest("hex");
      const route = `/model/${bedrockPathId(id)}/${stream ? "invoke-with-response-stream" : "invoke"}`;
      const response = await this.client.request({ method: "post", path: route, body: wire, headers, signal: request.signal }).asResponse();
      this.onOutcome?.(outcomeOf(response.status));
      const forwarded = forwardableResponseHeaders(response.headers);
      const amazonId = response.headers.get("x-amzn-requestid");
      if (amazonId && !forwarded.has("request-id")) forwarded.set("request-id", amazonId);
      return { status: response.status, headers: forwarded, body: response.body };
    } catch (error) {
      if (error instanceof APIUserAbortError) throw error;
      if (error instanceof APIConnectionError) {
        this.onOutcome?.("transport");
        if ((error as Error).message.startsWith("Failed to resolve AWS credentials")) {
          throw new ProxyError(
            502,
            "api_error",
            "The proxy found no AWS credentials for Amazon Bedrock. The operator must give it an identity (environment, profile, web identity, ECS or EC2 role) or a Bedrock API key.",
            { "x-should-retry": "false" },
            { cause: error },
          );
        }
        throw transportFailure(error, "AWS_REGION (or BEDROCK_BASE_URL)");
      }
      if (error instanceof APIError && error.status !== undefined) {
        this.onOutcome?.(outcomeOf(error.status));
        return bedrockError(error);
      }
      throw error;
    }
  }

  /**
   * Bedrock's CountTokens: the Messages body it would invoke, base64 inside `input.invokeModel`,
   * answered `{"inputTokens"}`; given back as Anthropic's `{"input_tokens"}`.
   */
  private async countTokens(id: string, invokeBody: string, signal?: AbortSignal): Promise<UpstreamResponse> {
    const response = await this.client
      .request({
        method: "post",
        path: `/model/${bedrockPathId(id)}/count-tokens`,
        body: { input: { invokeModel: { body: Buffer.from(invokeBody).toString("base64") } } },
        // The counted body carries the version; the SDK would add one to this wrapper too.
        headers: { "anthropic-version": null, "anthropic-beta": null },
        signal,
      })
      .asResponse();
    this.onOutcome?.(outcomeOf(response.status));
    const counted = (await response.json()) as { inputTokens?: unknown };
    if (typeof counted.inputTokens !== "number") throw new ProxyError(502, "api_error", "Amazon Bedrock's CountTokens answered without inputTokens.");
    return json(200, { input_tokens: counted.inputTokens });
  }

  /** Bedrock lists no models in Anthropic's shape: the mapped ones are the ones served. */
  private modelList(): UpstreamResponse {
    const ids = [...new Set(Object.keys(this.models.table))];
    const data = ids.map((id) => ({ type: "model", id, display_name: id, created_at: "2025-01-01T00:00:00Z" }));
    return json(200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
  }

  private model(id: string): UpstreamResponse {
    if (!this.models.bedrockId(id)) return json(404, { type: "error", error: { type: "not_found_error", message: `model: ${id}` } });
    return json(200, { type: "model", id, display_name: id, created_at: "2025-01-01T00:00:00Z" });
  }
}

/** The members Bedrock takes elsewhere than the Messages body has them. */
const BEDROCK_MOVED = new Set(["model", "stream", "anthropic_version", "anthropic_beta"]);

/** A model ID in a path: `:` as it is (as Bedrock's SDKs send it), `/` of an ARN escaped. */
const bedrockPathId = (id: string) => encodeURIComponent(id).replaceAll("%3A", ":");

const json = (status: number, body: unknown): UpstreamResponse => ({
  status,
  headers: new Headers({ "content-type": "application/json" }),
  body: new Response(JSON.stringify(body)).body,
});

/** Bedrock's exceptions by `x-amzn-ErrorType`, as Anthropic's error types, with what an operator can do. */
const BEDROCK_ERRORS: Record<string, { status: number; type: AnthropicErrorType; hint: string }> = {
  ValidationException: { status: 400, type: "invalid_request_error", hint: "" },
  AccessDeniedException: {
    status: 403,
    type: "permission_error",
    hint: " The proxy's AWS identity needs bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream on this model, and the model access enabled in the Bedrock console.",
  },
  ResourceNotFoundException: { status: 404, type: "not_found_error", hint: " Check MODEL_MAP and that the model is offered in this AWS_REGION." },
  ThrottlingException: { status: 429, type: "rate_limit_error", hint: "" },
  ServiceQuotaExceededException: { status: 429, type: "rate_limit_error", hint: " Raise the Bedrock quota for this model." },
  ModelNotReadyException: { status: 503, type: "overloaded_error", hint: "" },
  ServiceUnavailableException: { status: 503, type: "overloaded_error", hint: "" },
  ModelTimeoutException: { status: 504, type: "api_error", hint: "" },
  InternalServerException: { status: 500, type: "api_error", hint: "" },
  UnrecognizedClientException: { status: 502, type: "api_error", hint: " The proxy's AWS credentials or Bedrock API key were refused; the operator must fix them." },
  InvalidSignatureException: { status: 502, type: "api_error", hint: " The proxy's AWS credentials or Bedrock API key were refused; the operator must fix them." },
  ExpiredTokenException: { status: 502, type: "api_error", hint: " The proxy's AWS credentials expired; the operator must renew them." },
};

/** A Bedrock HTTP error as the Anthropic error an Anthropic client understands. */
function bedrockError(error: APIError): UpstreamResponse {
  const kind = (error.headers?.get("x-amzn-errortype") ?? "").split(":")[0]!;
  const known = BEDROCK_ERRORS[kind];
  const upstreamMessage = typeof error.error === "object" && error.error !== null ? String((error.error as { message?: unknown }).message ?? "") : "";
  const mapped = known ?? { status: error.status ?? 502, type: error.status === 429 ? "rate_limit_error" : error.status! >= 500 ? "api_error" : "invalid_request_error", hint: "" };
  const message = `Amazon Bedrock: ${upstreamMessage || `HTTP ${error.status}`}${kind ? ` (${kind})` : ""}.${mapped.hint}`;
  const headers = error.headers ? forwardableResponseHeaders(error.headers) : new Headers();
  headers.set("content-type", "application/json");
  const amazonId = error.headers?.get("x-amzn-requestid");
  if (amazonId) headers.set("request-id", amazonId);
  if (mapped.status !== 429 && mapped.status < 500) headers.set("x-should-retry", "false");
  if (mapped.status === 502) headers.set("x-should-retry", "false");
  return { status: mapped.status, headers, body: new Response(errorBody(mapped.type, message)).body };
}
