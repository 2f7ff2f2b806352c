/**
 * Bedrock's runtime routes, for Claude Code in Bedrock mode (CLAUDE_CODE_USE_BEDROCK=1 with
 * ANTHROPIC_BEDROCK_BASE_URL=<proxy>/bedrock): its InvokeModel calls are turned into Messages
 * calls, masked and restored by MessagesService exactly as on /v1/messages, sent to whichever
 * upstream is configured, and answered in Bedrock's wire format (event-stream frames for the
 * streaming route). The inference-profile listing Claude Code asks for first, unauthenticated,
 * names the models the proxy serves.
 */
import { anthropicBodyFromBedrock, EVENTSTREAM_CONTENT_TYPE, sseToEventStream } from "../../anthropic/bedrock-wire.ts";
import type { ModelMap } from "../../anthropic/model-map.ts";
import { ProxyError } from "../../errors.ts";
import type { MessagesService } from "../../proxy/messages-service.ts";
import { readBodyBytes } from "../body.ts";
import type { AuthedContext } from "./context.ts";

export interface BedrockRouteDeps {
  messages: MessagesService;
  models: ModelMap;
  /** The model field of the Messages call: the Bedrock ID itself when the upstream is Bedrock. */
  upstreamIsBedrock: boolean;
  maxBodyBytes: number;
}

const modelIdOf = (raw: string) => (raw.includes("%") ? decodeURIComponent(raw) : raw);

export function bedrockHandlers(deps: BedrockRouteDeps) {
  const invoke = (stream: boolean) => async ({ tenant, request, call, params }: AuthedContext & { params: { id: string } }) => {
    const id = modelIdOf(params.id);
    const model = deps.upstreamIsBedrock ? id : deps.models.anthropicName(id);
    const bytes = await readBodyBytes(request, deps.maxBodyBytes);
    const { body, betas } = anthropicBodyFromBedrock(bytes.toString("utf8"), model, stream);
    // Claude Code sends betas both as a header and in the body; the Messages call takes both.
    const headerBetas = (request.headers.get("anthropic-beta") ?? "").split(",").map((beta) => beta.trim()).filter(Boolean);
    const allBetas = [...new Set([...headerBetas, ...betas])];
    const headers = new Headers({ "content-type": "application/json", "anthropic-version": "2023-06-01" });
    if (allBetas.length > 0) headers.set("anthropic-beta", allBetas.join(","));
    const messagesCall = new Request(new URL("/v1/messages", request.url).toString(), { method: "POST", headers, signal: request.signal });
    const response = call.attach(await deps.messages.handle(tenant, messagesCall, Buffer.from(JSON.stringify(body)), call.startStats(), call.receivedAt));
    if (!stream || !response.ok || !response.body || !response.headers.get("content-type")?.startsWith("text/event-stream")) return response;
    const out = new Headers(response.headers);
    out.set("content-type", EVENTSTREAM_CONTENT_TYPE);
    return new Response(sseToEventStream(response.body), { status: response.status, headers: out });
  };

  return {
    invoke: invoke(false),
    invokeStream: invoke(true),
    // Bedrock's CountTokens: the InvokeModel body it would count, base64 inside `input.invokeModel`.
    countTokens: async ({ tenant, request, call, params }: AuthedContext & { params: { id: string } }) => {
      const id = modelIdOf(params.id);
      const bytes = await readBodyBytes(request, deps.maxBodyBytes);
      let inner: string;
      try {
        inner = Buffer.from(String(JSON.parse(bytes.toString("utf8")).input.invokeModel.body), "base64").toString("utf8");
      } catch {
        throw new ProxyError(400, "invalid_request_error", "Invalid request: expected {\"input\": {\"invokeModel\": {\"body\": BASE64}}}.");
      }
      const { body, betas } = anthropicBodyFromBedrock(inner, deps.upstreamIsBedrock ? id : deps.models.anthropicName(id), false);
      delete body.max_tokens; // InvokeModel needs it; count_tokens takes none
      const headers = new Headers({ "content-type": "application/json", "anthropic-version": "2023-06-01" });
      if (betas.length > 0) headers.set("anthropic-beta", betas.join(","));
      const countCall = new Request(new URL("/v1/messages/count_tokens", request.url).toString(), { method: "POST", headers, signal: request.signal });
      const response = call.attach(await deps.messages.handle(tenant, countCall, Buffer.from(JSON.stringify(body)), call.startStats(), call.receivedAt));
      if (!response.ok) return response;
      const { input_tokens: inputTokens } = (await response.json()) as { input_tokens: number };
      return Response.json({ inputTokens });
    },
    profiles: () =>
      Response.json({
        inferenceProfileSummaries: deps.models.bedrockIds().map((id) => ({ inferenceProfileId: id, inferenceProfileName: id, status: "ACTIVE", type: "SYSTEM_DEFINED" })),
      }),
    profile: ({ params }: { params: { id: string } }) => {
      const id = modelIdOf(params.id);
      if (!deps.models.bedrockIds().includes(id)) throw new ProxyError(404, "not_found_error", `No inference profile ${id} on this proxy.`);
      const foundation = id.replace(/^(?:[a-z]{2,4}|global)\./, "");
      return Response.json({ inferenceProfileId: id, inferenceProfileName: id, status: "ACTIVE", type: "SYSTEM_DEFINED", models: [{ modelArn: `arn:aws:bedrock:::foundation-model/${foundation}` }] });
    },
  };
}
