/**
 * The work behind /v1/messages and /v1/messages/count_tokens, callable without a server:
 * mask every content string of the request in one store round trip, check the egress guard,
 * forward with the proxy's own key, and restore the answer (JSON or SSE) for the caller.
 */
import type { Logger } from "../log.ts";
import { ProxyError } from "../server/errors.ts";
import type { MappingStore } from "../store/types.ts";
import { requestSlots, responseSlots, type Slot } from "./content-walker.ts";
import { findLeaks, guardSegments, type MaskedEntity } from "./egress-guard.ts";
import { splitRequestBody, type SplitBody } from "./json-segments.ts";
import { restoreSseStream } from "./sse-restore.ts";
import { restoreText, type ResolveSurrogates, type SurrogateSyntax } from "../masking/stream-restorer.ts";
import type { MaskedTextCache, MaskedTextEntry } from "./masked-text-cache.ts";
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
  /** Masked forms of whole request segments (top-level members, `messages` elements) seen before. */
  maskedSegments?: MaskedTextCache;
  /** Seconds from sending the masked request until the upstream's headers arrived. */
  onUpstreamLatency?: (path: string, seconds: number) => void;
  logger: Logger;
}

export interface MaskedRequest {
  /**
   * The masked body, UTF-8 encoded. A Blob built from the pieces is sent as it is: a joined
   * 200 KB string would be allocated, then encoded again by fetch.
   */
  body: Blob;
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

  /**
   * Masks a request body given as text. Segments masked before (Claude Code re-sends its
   * history byte for byte) are reused without parsing; anything unusual, including a guard
   * hit, takes the ordinary path through `parse` and maskRequest.
   */
  async maskRequestText(tenant: string, text: string, parse: (text: string) => Json): Promise<MaskedRequest> {
    const split = this.deps.maskedSegments ? splitRequestBody(text) : undefined;
    const reused = split && (await this.maskSplitBody(tenant, split));
    return reused ?? this.maskRequest(tenant, parse(text));
  }

  /** Masks a parsed request body in place and serialises it, guarded against leaks. */
  async maskRequest(tenant: string, body: Json): Promise<MaskedRequest> {
    const slots = this.slotsToMask(tenant, requestSlots(body));
    const { entities } = await this.maskSlots(tenant, slots);
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
    return { body: new Blob([text]), entities };
  }

  /** The slots to mask: a thinking block restored earlier goes back exactly as the upstream signed it. */
  private slotsToMask(tenant: string, all: Slot[]): Slot[] {
    const slots: Slot[] = [];
    for (const slot of all) {
      const signed = slot.kind === "thinking" ? this.deps.thinking.signedTextFor(tenant, slot.get()) : undefined;
      if (signed !== undefined) slot.set(signed);
      else slots.push(slot);
    }
    return slots;
  }

  /**
   * Masks slots in place: cached strings straight from the cache, the rest in one store round
   * trip. Returns every entity, and each slot's own.
   */
  private async maskSlots(tenant: string, slots: Slot[]): Promise<{ entities: MaskedEntity[]; perSlot: MaskedEntity[][] }> {
    const cache = this.deps.maskedTexts;
    const entities = new Map<string, MaskedEntity>();
    const perSlot: MaskedEntity[][] = new Array(slots.length);
    const fresh: number[] = [];
    slots.forEach((slot, i) => {
      const hit = cache?.get(tenant, slot.get());
      if (!hit) return void fresh.push(i);
      slot.set(hit.masked);
      perSlot[i] = hit.entities;
      for (const entity of hit.entities) entities.set(entity.original, entity);
    });
    if (fresh.length > 0) {
      const texts = fresh.map((i) => slots[i]!.get());
      const result = await this.deps.masker.maskTexts(tenant, texts);
      fresh.forEach((slotIndex, i) => {
        const own = result.perText[i]!.map((index) => result.entities[index]!);
        slots[slotIndex]!.set(result.masked[i]!);
        perSlot[slotIndex] = own;
        cache?.set(tenant, texts[i]!, result.masked[i]!, own);
      });
      for (const entity of result.entities) entities.set(entity.original, entity);
    }
    return { entities: [...entities.values()], perSlot };
  }

  /**
   * The segment path of maskRequestText. New segments are parsed and their slots masked
   * together (one store round trip); known ones come from the cache. The egress guard keeps
   * its meaning: every original of the request is checked against every byte of the body,
   * but a segment remembers which originals it was already checked for.
   */
  private async maskSplitBody(tenant: string, split: SplitBody): Promise<MaskedRequest | undefined> {
    const cache = this.deps.maskedSegments!;
    interface Piece {
      key: string;
      text: string;
      entry?: MaskedTextEntry;
      value?: unknown;
      masked?: string;
      entities?: MaskedEntity[];
    }
    const pieces: Piece[] = [];
    let newChars = 0;
    let allChars = 0;
    for (const member of split.members) {
      for (const { key, text } of member.segments) {
        const { entry, seenBefore } = cache.lookup(`${tenant}\0${key}`, text);
        pieces.push({ key, text, entry });
        allChars += text.length;
        if (!seenBefore) newChars += text.length;
      }
    }
    // A mostly new body (a first turn) is cheaper to mask whole; its segments are cached when
    // they come back, as a re-sent history does.
    if (newChars * 2 > allChars) return undefined;
    const fresh: { piece: Piece; slots: Slot[] }[] = [];
    let at = 0;
    for (const member of split.members) {
      for (const { key } of member.segments) {
        const piece = pieces[at++]!;
        if (piece.entry) continue;
        const text = piece.text;
        try {
          piece.value = JSON.parse(text);
        } catch {
          return undefined; // the ordinary path reports the error
        }
        // The walker sees the segment where it sits in the body.
        const holder = member.isMessages ? { messages: [piece.value] } : { [key]: piece.value };
        fresh.push({ piece, slots: this.slotsToMask(tenant, requestSlots(holder as Json)) });
      }
    }
    const allSlots = fresh.flatMap(({ slots }) => slots);
    const { perSlot } = await this.maskSlots(tenant, allSlots);
    let offset = 0;
    for (const { piece, slots } of fresh) {
      const own = new Map<string, MaskedEntity>();
      for (let i = 0; i < slots.length; i++) for (const entity of perSlot[offset + i]!) own.set(entity.original, entity);
      offset += slots.length;
      piece.masked = JSON.stringify(piece.value);
      piece.entities = [...own.values()];
      piece.entry = cache.set(`${tenant}\0${piece.key}`, piece.text, piece.masked, piece.entities);
    }

    const entities = new Map<string, MaskedEntity>();
    for (const piece of pieces) for (const entity of piece.entities ?? piece.entry!.entities) entities.set(entity.original, entity);
    // Reassembled exactly as JSON.stringify would write the parsed body.
    const maskedOf = (piece: Piece) => piece.masked ?? piece.entry!.masked;
    const parts: string[] = ["{"];
    let next = 0;
    split.members.forEach((member, m) => {
      parts.push(`${m > 0 ? "," : ""}${JSON.stringify(member.key)}:${member.isMessages ? "[" : ""}`);
      member.segments.forEach((_, i) => parts.push(i > 0 ? "," : "", maskedOf(pieces[next++]!)));
      if (member.isMessages) parts.push("]");
    });
    parts.push("}");
    const body = new Blob(parts);
    const keys = split.members.map((member) => member.key).join("\0");
    const segments = pieces.map((piece) => ({ entry: piece.entry, masked: maskedOf(piece) }));
    return guardSegments(keys, segments, [...entities.values()]) ? { body, entities: [...entities.values()] } : undefined;
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

/**
 * The egress guard for a body assembled from segments. Every original of the request (raw and
 * JSON-escaped) must be absent from every segment and from the member names. A cached segment
 * remembers the originals it was checked for (one set shared by the segments of the request
 * that checked them), so a re-sent history is searched only for the originals that are new,
 * and a new turn, small, for all of them. Returns false on a hit (the ordinary path then
 * handles it).
 */
