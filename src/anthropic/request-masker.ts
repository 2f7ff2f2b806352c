/**
 * Masks a Messages API request body: every content string, in one store round trip, with the
 * egress guard over the result. A body is handled as pieces (top-level members and `messages`
 * elements, see json-segments): pieces this tenant sent before, found by comparing bytes with
 * a remembered body (body-history), are reused as they are; the others are parsed, masked and
 * serialised. The output is byte for byte what parsing and serialising the whole body gives.
 * Anything unusual, including a guard hit, takes the ordinary path: parse everything.
 */
import type { Logger } from "../log.ts";
import { parseJsonObject } from "../server/body.ts";
import { ProxyError } from "../server/errors.ts";
import type { BodyHistory, MaskedPiece, PlacedPiece } from "./body-history.ts";
import { requestSlots, type Slot } from "./content-walker.ts";
import { assembleBody } from "./assemble-body.ts";
import { BodyBuffers } from "./body-buffers.ts";
import { findLeaks, guardPieces, type MaskedEntity } from "./egress-guard.ts";
import type { MaskedTextCache } from "./masked-text-cache.ts";
import { planPieces, type PlannedPiece } from "./piece-plan.ts";
import type { ThinkingCache } from "./thinking-cache.ts";

type Json = Record<string, unknown>;

export interface TextMasker {
  maskTexts(tenant: string, texts: string[]): Promise<{ masked: string[]; entities: MaskedEntity[]; perText: number[][] }>;
}

export interface RequestMaskerDeps {
  masker: TextMasker;
  thinking: ThinkingCache;
  /** Masked forms of longer strings seen before (a message re-sent with other markers). */
  maskedTexts?: MaskedTextCache;
  /** Recent bodies per tenant, whose pieces a re-sent conversation reuses. */
  history?: BodyHistory;
  logger: Logger;
}

export interface MaskedRequest {
  /** The masked body, UTF-8: sent as it is, never decoded and encoded again. */
  body: Buffer;
  entities: MaskedEntity[];
  /** Returns the body's buffer for reuse: call once the upstream request has settled. */
  release?: () => void;
}

const NONE_VERIFIED: ReadonlySet<string> = new Set();

const egressRefused = () =>
  new ProxyError(500, "api_error", "The proxy refused to forward this request because masking was incomplete (no data was sent). Please report this to your operators.");

export class RequestMasker {
  private readonly buffers = new BodyBuffers();

  constructor(private readonly deps: RequestMaskerDeps) {}

  /** Masks a UTF-8 body (already checked to be valid UTF-8). */
  async maskBody(tenant: string, bytes: Buffer): Promise<MaskedRequest> {
    const history = this.deps.history;
    const reused = history && (await this.maskByPieces(tenant, bytes, history));
    return reused ?? this.maskRequest(tenant, parseJsonObject(bytes.toString("utf8")));
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
    return { body: Buffer.from(text), entities };
  }

  /**
   * The piece path of maskBody. Returns undefined where the ordinary path must decide: an
   * unusual body, a piece that does not parse, or a guard hit.
   */
  private async maskByPieces(tenant: string, bytes: Buffer, history: BodyHistory): Promise<MaskedRequest | undefined> {
    const previous = history.closest(tenant, bytes);
    const now = history.now();
    const planned = planPieces(bytes, previous, (piece) => now - piece.at <= history.maxAgeMs);
    if (!planned) return undefined;
    const pieces = await this.maskFresh(tenant, planned, now);
    if (!pieces) return undefined;

    const entities = new Map<string, MaskedEntity>();
    for (const piece of pieces) for (const entity of piece.entities) entities.set(entity.original, entity);
    const { lease, placed, keys } = assembleBody(pieces, this.buffers);
    if (!guardPieces(lease.bytes, placed, keys, [...entities.values()])) {
      lease.release();
      return undefined;
    }

    const remembered: PlacedPiece[] = planned.map(({ start, end }, i) => ({ start, end, piece: pieces[i]! }));
    // The body it grew from is forgotten: the conversation's next turn will extend this one.
    const grewFrom = previous && previous.shared * 2 >= previous.body.bytes.length ? previous.body : undefined;
    history.remember(tenant, { bytes, pieces: remembered }, grewFrom);
    return { body: lease.bytes, entities: [...entities.values()], release: lease.release };
  }

  /** Parses and masks the pieces not reused (one store round trip for all). */
  private async maskFresh(tenant: string, planned: PlannedPiece[], now: number): Promise<MaskedPiece[] | undefined> {
    const fresh: { at: number; value: unknown; slots: Slot[] }[] = [];
    for (let at = 0; at < planned.length; at++) {
      const { text, key, element } = planned[at]!;
      if (text === undefined) continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return undefined; // the ordinary path reports the error
      }
      // The walker sees the piece where it sits in the body.
      const holder = element ? { messages: [value] } : { [key]: value };
      fresh.push({ at, value, slots: this.slotsToMask(tenant, requestSlots(holder as Json)) });
    }
    const { perSlot } = await this.maskSlots(tenant, fresh.flatMap(({ slots }) => slots));
    const pieces = planned.map((plannedPiece) => plannedPiece.reuse);
    let offset = 0;
    for (const { at, value, slots } of fresh) {
      const own = new Map<string, MaskedEntity>();
      for (let i = 0; i < slots.length; i++) for (const entity of perSlot[offset + i]!) own.set(entity.original, entity);
      offset += slots.length;
      const { key, element, first } = planned[at]!;
      pieces[at] = { key, element, first, masked: Buffer.from(JSON.stringify(value)), entities: [...own.values()], at: now, verified: NONE_VERIFIED };
    }
    return pieces as MaskedPiece[];
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
}
