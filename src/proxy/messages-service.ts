/**
 * The work behind /v1/messages, /v1/messages/count_tokens and /v1/models, callable without a
 * server: one door, `handle`. A call with a body is masked (request-masker.ts), forwarded with
 * the proxy's own key, and its answer restored (JSON or SSE) for the caller; a model listing
 * holds nothing to mask and is passed through.
 */
import type { MaskedEntity } from "../masking/types.ts";
import type { RestorePolicy } from "../masking/restore-policy.ts";
import type { SurrogateSyntax } from "../masking/stream-restorer.ts";
import type { MappingStore } from "../store/types.ts";
import type { UpstreamClient, UpstreamResponse } from "../anthropic/upstream.ts";
import { restoreJsonAnswer } from "./json-restore.ts";
import { RequestMasker, type MaskedRequest, type RequestMaskerDeps } from "./request-masker.ts";
import { restoreSseStream } from "./sse-restore.ts";
import { StreamMemoryPolicy } from "./stream-memory.ts";
import { surrogateResolver, type RestoreCounts } from "./surrogate-resolver.ts";

export interface MessagesDeps extends RequestMaskerDeps {
  store: Pick<MappingStore, "lookup">;
  upstream: UpstreamClient;
  syntax: SurrogateSyntax;
  /** Restore only what will be masked again (masking/restore-policy.ts). */
  restorePolicy: RestorePolicy;
  /** Shared by every restored stream of this service; one per app. */
  streamMemory?: StreamMemoryPolicy;
  /** Seconds from sending the masked request until the upstream's headers arrived. */
  onUpstreamLatency?: (path: string, seconds: number) => void;
}

/** What one proxied call did, for the request log line and metrics (counts, types and ids only). */
export interface CallStats extends RestoreCounts {
  masked: Record<string, number>;
  /** Set once a streamed answer has ended: false if it broke or lacked message_stop. */
  streamComplete?: boolean;
  /** The model asked for and whether the answer streams (request-facts.ts). */
  model?: string;
  stream?: boolean;
  /** The upstream's HTTP status and its `request-id` (what the client sees too). */
  upstreamStatus?: number;
  upstreamRequestId?: string;
  /** Milliseconds from sending the masked request until the upstream's headers arrived. */
  upstreamMs?: number;
  /** Milliseconds the proxy spent before sending (reading and masking the body). */
  addedMs?: number;
}

export const emptyCallStats = (): CallStats => ({ masked: {}, restoredSurrogates: 0, unknownSurrogates: 0 });

/** The upstream's request id as the log may hold it (an id, never free text). */
const requestIdOf = (headers: Headers | undefined) => {
  const id = headers?.get("request-id");
  return id && /^[A-Za-z0-9_-]{1,128}$/.test(id) ? id : undefined;
};

/** A call's answer, and its counts (a stream keeps counting until it ends). */
export interface ProxiedCall {
  response: Response;
  stats: CallStats;
}

const pathWithQuery = (request: Request) => {
  const url = new URL(request.url);
  return url.pathname + url.search;
};

function countByType(entities: readonly MaskedEntity[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entity of entities) counts[entity.type] = (counts[entity.type] ?? 0) + 1;
  return counts;
}

export class MessagesService {
  private readonly requests: RequestMasker;
  private readonly streamMemory: StreamMemoryPolicy;

  constructor(private readonly deps: MessagesDeps) {
    this.requests = new RequestMasker(deps);
    this.streamMemory = deps.streamMemory ?? new StreamMemoryPolicy();
  }

  /**
   * Handles one call: `body` (UTF-8, already size-checked) is masked and sent; without a body
   * the call is a GET passed through as it is.
   */
  async handle(tenant: string, request: Request, body?: Buffer, stats: CallStats = emptyCallStats(), receivedAt = performance.now()): Promise<ProxiedCall> {
    const path = pathWithQuery(request);
    this.receivedAt.set(stats, receivedAt);
    if (body === undefined) {
      const upstream = await this.send(stats, { method: "get", path, clientHeaders: request.headers, signal: request.signal });
      return { response: new Response(upstream.body, { status: upstream.status, headers: upstream.headers }), stats };
    }
    const masked = await this.requests.maskBody(tenant, body);
    stats.masked = countByType(masked.entities);
    stats.model = masked.facts.model;
    stats.stream = masked.facts.stream;
    return { response: await this.forward(tenant, request, path, masked, stats), stats };
  }

  /** Sends to the upstream and notes its status, request id and latency; a refusal keeps the id too. */
  /** When each call arrived, for its added latency (weak: a call's stats are its key). */
  private readonly receivedAt = new WeakMap<CallStats, number>();

  private async send(stats: CallStats, request: Parameters<UpstreamClient["send"]>[0]): Promise<UpstreamResponse> {
    const sentAt = performance.now();
    const receivedAt = this.receivedAt.get(stats);
    if (receivedAt !== undefined) stats.addedMs = Math.round((sentAt - receivedAt) * 10) / 10;
    try {
      const upstream = await this.deps.upstream.send(request);
      stats.upstreamStatus = upstream.status;
      stats.upstreamRequestId = requestIdOf(upstream.headers);
      return upstream;
    } catch (error) {
      const cause = (error as { cause?: { status?: unknown; headers?: Headers } }).cause;
      if (typeof cause?.status === "number") stats.upstreamStatus = cause.status;
      stats.upstreamRequestId = requestIdOf(cause?.headers);
      throw error;
    } finally {
      stats.upstreamMs = Math.round((performance.now() - sentAt) * 10) / 10;
      this.deps.onUpstreamLatency?.(request.path, stats.upstreamMs / 1000);
    }
  }

  /** Masks loose texts as one request's content would be (see RequestMasker.maskLooseTexts). */
  maskLooseTexts(tenant: string, texts: readonly string[]): Promise<{ masked: string[]; entities: MaskedEntity[] }> {
    return this.requests.maskLooseTexts(tenant, texts);
  }

  /** Forwards a masked body and returns the client's response, restored. */
  private async forward(tenant: string, request: Request, path: string, masked: MaskedRequest, stats: CallStats): Promise<Response> {
    const controller = new AbortController();
    const onClientGone = () => controller.abort();
    request.signal.addEventListener("abort", onClientGone, { once: true });
    let upstream: UpstreamResponse;
    try {
      upstream = await this.send(stats, { method: "post", path, clientHeaders: request.headers, body: masked.body, signal: controller.signal });
    } finally {
      // fetch has copied the body by now (reuse/body-buffers.ts): its buffer can serve the next request.
      masked.release?.();
    }
    const resolve = surrogateResolver(this.deps.store, tenant, masked.entities, stats);
    const onThinking = (signed: string, restored: string) => this.deps.thinking.remember(tenant, signed, restored);
    const headers = upstream.headers;

    if (upstream.body && headers.get("content-type")?.startsWith("text/event-stream")) {
      const stream = restoreSseStream(upstream.body, {
        syntax: this.deps.syntax,
        resolve,
        policy: this.deps.restorePolicy,
        memory: this.streamMemory,
        abort: () => controller.abort(),
        onThinking,
        onEnd: (complete) => {
          stats.streamComplete = complete;
          request.signal.removeEventListener("abort", onClientGone);
        },
      });
      headers.set("cache-control", "no-cache");
      return new Response(stream, { status: upstream.status, headers });
    }

    const text = upstream.body ? await new Response(upstream.body).text() : "";
    request.signal.removeEventListener("abort", onClientGone);
    const restored = await restoreJsonAnswer(text, { syntax: this.deps.syntax, resolve, policy: this.deps.restorePolicy, onThinking });
    return new Response(restored, { status: upstream.status, headers });
  }
}
