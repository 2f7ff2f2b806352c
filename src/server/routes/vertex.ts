/**
 * Vertex AI's Anthropic routes, for Claude Code in Vertex mode (CLAUDE_CODE_USE_VERTEX=1 with
 * ANTHROPIC_VERTEX_BASE_URL=<proxy>/vertex, CLAUDE_CODE_SKIP_VERTEX_AUTH=1 and the proxy key in
 * ANTHROPIC_CUSTOM_HEADERS). Vertex names the model and the streaming choice in the path
 * (`…/models/claude-opus-5-5:streamRawPredict`) and takes the Messages body without `model`;
 * it answers in the Anthropic wire format itself, so only the request is translated. The call is
 * masked and restored by MessagesService exactly as on /v1/messages and sent to whichever
 * upstream is configured. The project and region in the path are the client's own settings
 * and are ignored: the proxy calls Vertex in its own project (VERTEX_PROJECT_ID).
 */
import { anthropicBodyFromBedrock } from "../../anthropic/bedrock-wire.ts";
import { ProxyError } from "../../errors.ts";
import type { MessagesService } from "../../proxy/messages-service.ts";
import { readBodyBytes } from "../body.ts";
import type { AuthedContext } from "./context.ts";

export interface VertexRouteDeps {
  messages: MessagesService;
  /** Vertex model names (`claude-sonnet-4-5@20250929`) go through as they are to a Vertex upstream. */
  upstreamIsVertex: boolean;
  maxBodyBytes: number;
}

type VertexContext = AuthedContext & { params: { call: string } };

/** `claude-sonnet-4-5@20250929` → `claude-sonnet-4-5-20250929`, the name other upstreams know. */
const anthropicNameOf = (vertexName: string) => vertexName.replace(/@(\d{8})$/, "-$1");

/** `claude-opus-5-5:streamRawPredict` → its model and method; `%3A` is the same colon. */
function parseCall(raw: string): { model: string; method: string } {
  const decoded = raw.includes("%") ? decodeURIComponent(raw) : raw;
  const colon = decoded.lastIndexOf(":");
  const method = colon < 0 ? "" : decoded.slice(colon + 1);
  if (method !== "rawPredict" && method !== "streamRawPredict") {
    throw new ProxyError(404, "not_found_error", "This proxy serves Vertex's rawPredict and streamRawPredict methods of Anthropic models only.");
  }
  return { model: decoded.slice(0, colon), method };
}

export function vertexHandlers(deps: VertexRouteDeps) {
  const forward = async (path: string, body: Record<string, unknown>, { tenant, request, call }: VertexContext) => {
    const headers = new Headers({ "content-type": "application/json", "anthropic-version": "2023-06-01" });
    const betas = request.headers.get("anthropic-beta");
    if (betas) headers.set("anthropic-beta", betas);
    const messagesCall = new Request(new URL(path, request.url).toString(), { method: "POST", headers, signal: request.signal });
    return call.attach(await deps.messages.handle(tenant, messagesCall, Buffer.from(JSON.stringify(body)), call.startStats(), call.receivedAt));
  };

  return {
    predict: async (context: VertexContext) => {
      const { model, method } = parseCall(context.params.call);
      const bytes = await readBodyBytes(context.request, deps.maxBodyBytes);
      const text = bytes.toString("utf8");
      if (model === "count-tokens") {
        if (method !== "rawPredict") throw new ProxyError(404, "not_found_error", "count-tokens is served by rawPredict only.");
        // The counted body names its model; it goes on like any other model name.
        const { body } = anthropicBodyFromBedrock(text, "", false);
        const named = (JSON.parse(text) as { model?: unknown }).model;
        if (typeof named !== "string" || !named) throw new ProxyError(400, "invalid_request_error", "Invalid request: count-tokens needs a model in the body.");
        body.model = deps.upstreamIsVertex ? named : anthropicNameOf(named);
        return forward("/v1/messages/count_tokens", body, context);
      }
      if (!model) throw new ProxyError(404, "not_found_error", "The path names no model.");
      const { body } = anthropicBodyFromBedrock(text, deps.upstreamIsVertex ? model : anthropicNameOf(model), method === "streamRawPredict");
      return forward("/v1/messages", body, context);
    },
  };
}
