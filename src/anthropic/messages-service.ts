/**
 * The work behind /v1/messages and /v1/messages/count_tokens, callable without a server:
 * mask every content string of the request in one store round trip, check the egress guard,
 * forward with the proxy's own key, and restore the answer (JSON or SSE) for the caller.
 */
import type { Logger } from "../log.ts";
import { ProxyError } from "../server/errors.ts";
import type { MappingStore } from "../store/types.ts";
import { requestSlots, responseSlots, type Slot } from "./content-walker.ts";
import { findLeaks, type MaskedEntity } from "./egress-guard.ts";
import { restoreSseStream } from "./sse-restore.ts";
import { restoreText, type ResolveSurrogates, type SurrogateSyntax } from "../masking/stream-restorer.ts";
import type { MaskedTextCache } from "./masked-text-cache.ts";
import type { ThinkingCache } from "./thinking-cache.ts";
import type { Upstream } from "./upstream.ts";

type Json = Record<string, unknown>;

export interface TextMasker {
  maskTexts(tenant: string, texts: string[]): Promise<{ masked: string[]; entities: MaskedEntity[]; perText: number[][] }>;
}

export interface MessagesDeps {
  masker: TextMasker;
  store: Pick<MappingStore, "lookup">;
  upstream: Upstream;
  syntax: SurrogateSyntax;
  thinking: ThinkingCache;
  /** Masked forms of strings seen before (Claude Code re-sends its whole history). */
  maskedTexts?: MaskedTextCache;
  /** Seconds from sending the masked request until the upstream's headers arrived. */
  onUpstreamLatency?: (path: string, seconds: number) => void;
  logger: Logger;
}

export interface MaskedRequest {
  body: string;
  entities: MaskedEntity[];
}

/** What one proxied call did, for the request log line and metrics (counts and types only). */
export interface CallStats {
  masked: Record<string, number>;
  restoredSurrogates: number;
  unknownSurrogates: number;
  streamComplete?: boolean;
}

const egressRefused = () =>
  new ProxyError(500, "api_error", "The proxy refused to forward this request because masking was incomplete (no data was sent). Please report this to your operators.");

export class MessagesService {
  constructor(private readonly deps: MessagesDeps) {}

  /** Masks a parsed request body in place and serialises it, guarded against leaks. */
  async maskRequest(tenant: string, body: Json): Promise<MaskedRequest> {
    const slots: Slot[] = [];
    for (const slot of requestSlots(body)) {
      // A thinking block we restored earlier goes back exactly as the upstream signed it.
      const signed = slot.kind === "thinking" ? this.deps.thinking.signedTextFor(tenant, slot.get()) : undefined;
      if (signed !== undefined) slot.set(signed);
      else slots.push(slot);
    }
    const entities = await this.maskSlots(tenant, slots);
    let text = JSON.stringify(body);

    let leaks = findLeaks(text, entities);
    if (leaks.length > 0) {
      // An original found in one place may also stand, undetected, elsewhere in the content
      // (a password quoted in prose): replace it there too, then check again.
      for (const slot of slots) {
        let value = slot.get();
        for (const leak of leaks) value = value.split(leak.original).join(leak.surrogate);
        slot.set(value);
      }
      text = JSON.stringify(body);
      leaks = findLeaks(text, entities);
    }
    if (leaks.length > 0) {
      this.deps.logger.error("egress guard refused a request", { types: [...new Set(leaks.map((leak) => leak.type))] });
      throw egressRefused();
    }
    return { body: text, entities };
  }

  /** Masks slots in place: cached strings straight from the cache, the rest in one store round trip. */
  private async maskSlots(tenant: string, slots: Slot[]): Promise<MaskedEntity[]> {
    const cache = this.deps.maskedTexts;
    const entities = new Map<string, MaskedEntity>();
    const fresh: Slot[] = [];
    for (const slot of slots) {
      const hit = cache?.get(tenant, slot.get());
      if (!hit) {
        fresh.push(slot);
        continue;
      }
      slot.set(hit.masked);
      for (const entity of hit.entities) entities.set(entity.original, entity);
    }
    if (fresh.length > 0) {
      const texts = fresh.map((slot) => slot.get());
      const result = await this.deps.masker.maskTexts(tenant, texts);
      fresh.forEach((slot, i) => {
        slot.set(result.masked[i]!);
        cache?.set(tenant, texts[i]!, result.masked[i]!, result.perText[i]!.map((index) => result.entities[index]!));
      });
      for (const entity of result.entities) entities.set(entity.original, entity);
    }
    return [...entities.values()];
  }

  /** Looks surrogates up: this request's own first, then the tenant's store. */
  resolver(tenant: string, entities: readonly MaskedEntity[], stats: CallStats): ResolveSurrogates {
    const known = new Map(entities.map((entity) => [entity.surrogate, entity.original]));
    return async (surrogates) => {
      const found = new Map<string, string>();
      const misses: string[] = [];
      for (const surrogate of surrogates) {
        const original = known.get(surrogate);
        if (original !== undefined) found.set(surrogate, original);
        else misses.push(surrogate);
      }
      if (misses.length > 0) {
        const originals = await this.deps.store.lookup(tenant, misses);
        misses.forEach((surrogate, i) => {
          const original = originals[i];
          if (original === undefined) stats.unknownSurrogates++;
          else (found.set(surrogate, original), known.set(surrogate, original));
        });
      }
      stats.restoredSurrogates += found.size;
      return found;
    };
  }

  /** Forwards a masked body and returns the client's response, restored. */
  async forward(tenant: string, request: Request, path: string, masked: MaskedRequest, stats: CallStats): Promise<Response> {
    const controller = new AbortController();
    const onClientGone = () => controller.abort();
    request.signal.addEventListener("abort", onClientGone, { once: true });
    const sentAt = performance.now();
    const upstream = await this.deps.upstream.send({
      method: "post",
      path,
      clientHeaders: request.headers,
      body: masked.body,
      signal: controller.signal,
    });
    this.deps.onUpstreamLatency?.(path, (performance.now() - sentAt) / 1000);
    const resolve = this.resolver(tenant, masked.entities, stats);
    const headers = upstream.headers;

    if (upstream.body && headers.get("content-type")?.startsWith("text/event-stream")) {
      const stream = restoreSseStream(upstream.body, {
        syntax: this.deps.syntax,
        resolve,
        abort: () => controller.abort(),
        onThinking: (signed, restored) => this.deps.thinking.remember(tenant, signed, restored),
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
    return new Response(await this.restoreJson(tenant, text, resolve), { status: upstream.status, headers });
  }

  /** Restores a JSON message or error body; anything that is not JSON passes as it came. */
  private async restoreJson(tenant: string, text: string, resolve: ResolveSurrogates): Promise<string> {
    let parsed: Json;
    try {
      parsed = JSON.parse(text);
    } catch {
      return text;
    }
    if (typeof parsed !== "object" || parsed === null) return text;
    const slots = responseSlots(parsed);
    const error = parsed.error as Json | undefined;
    if (parsed.type === "error" && error && typeof error.message === "string") {
      slots.push({ kind: "text", get: () => error.message as string, set: (value) => void (error.message = value) });
    }
    let changed = false;
    for (const slot of slots) {
      const before = slot.get();
      const after = await restoreText(before, this.deps.syntax, resolve);
      if (slot.kind === "thinking") this.deps.thinking.remember(tenant, before, after);
      if (after !== before) (slot.set(after), (changed = true));
    }
    return changed ? JSON.stringify(parsed) : text;
  }
}
