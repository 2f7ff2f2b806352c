/**
 * Masks a Messages API request body: every content string, in one store round trip, with the
 * egress guard over the result. A re-sent conversation goes through the history's door
 * (reuse/), which hands back only its new pieces to mask here; anything unusual takes the
 * ordinary path: parse everything, mask, serialise, guard.
 */
import { requestFacts, requestFactsFromJson, type RequestFacts } from "./request-facts.ts";
import { badRequest, ProxyError } from "../errors.ts";
import { memberProblem, messageProblem, requestShapeProblem } from "../anthropic/request-shape.ts";
import { MAX_JSON_DEPTH, nestedDeeperThan, parseJsonObject } from "../json.ts";
import type { Logger } from "../log.ts";
import type { OriginalsMatcher } from "../masking/originals-matcher.ts";
import type { MaskedEntity } from "../masking/types.ts";
import { requestSlots, type Slot } from "../anthropic/content-walker.ts";
import { leakFinder } from "./egress-guard.ts";
import { historyReuse, type BodyHistory, type MaskedNewPiece, type MaskedTextCache, type MaskReusingHistory, type NewPiece } from "./reuse/index.ts";
import type { ThinkingCache } from "./thinking-cache.ts";

type Json = Record<string, unknown>;

export interface TextMasker {
  maskTexts(
    tenant: string,
    texts: string[],
    memory?: OriginalsMatcher,
  ): Promise<{ masked: string[]; entities: MaskedEntity[]; perText: number[][]; memoryHits?: Record<string, number> }>;
  /** The tenant's memory of originals, read once per request (see masking/tenant-memory.ts). */
  memoryOf(tenant: string): Promise<OriginalsMatcher | undefined>;
}

export interface RequestMaskerDeps {
  masker: TextMasker;
  thinking: ThinkingCache;
  /** Masked forms of longer strings seen before (a message re-sent with other markers). */
  maskedTexts?: MaskedTextCache;
  /** Recent bodies per tenant, whose pieces a re-sent conversation reuses. */
  history?: BodyHistory;
  logger: Logger;
  /** Told, by type, what the memory and the guard caught (for /metrics: the catalogue's gaps). */
  observer?: MaskingObserver;
}

/** Counts by type only: never a value. */
export interface MaskingObserver {
  /** Values only the tenant memory found. */
  memoryHits(counts: Record<string, number>): void;
  /** Originals the egress guard found unmasked and replaced. */
  guardRepaired(types: string[]): void;
  /** Originals the guard could not mask: the request was refused. */
  guardRefused(types: string[]): void;
}

export interface MaskedRequest {
  /** The masked body, UTF-8: sent as it is, never decoded and encoded again. */
  body: Buffer;
  entities: MaskedEntity[];
  /** Model and stream flag, for the request log. */
  facts: RequestFacts;
  /** Returns the body's buffer for reuse: call once the upstream request has settled. */
  release?: () => void;
}

const egressRefused = () =>
  new ProxyError(500, "api_error", "The proxy refused to forward this request because masking was incomplete (no data was sent). Please report this to your operators.");

export class RequestMasker {
  private readonly reuse?: MaskReusingHistory;

  constructor(private readonly deps: RequestMaskerDeps) {
    if (deps.history) this.reuse = historyReuse(deps.history, (tenant, pieces, memory) => this.maskNewPieces(tenant, pieces, memory));
  }

  /** Masks a UTF-8 body (already checked to be valid UTF-8). */
  async maskBody(tenant: string, bytes: Buffer): Promise<MaskedRequest> {
    const memory = await this.deps.masker.memoryOf(tenant);
    const reused = this.reuse && (await this.reuse(tenant, bytes, memory));
    if (reused) return { ...reused, facts: requestFactsFromJson(reused.member("model"), reused.member("stream")) };
    return this.maskRequest(tenant, parseJsonObject(bytes.toString("utf8")), memory);
  }

  /** Masks a parsed request body in place and serialises it, guarded against leaks. */
  async maskRequest(tenant: string, body: Json, memory?: OriginalsMatcher): Promise<MaskedRequest> {
    // A shape the walker does not expect would be forwarded partly unmasked.
    const problem = requestShapeProblem(body);
    if (problem) throw badRequest(`Invalid request: ${problem}.`);
    memory ??= await this.deps.masker.memoryOf(tenant);
    const slots = this.slotsToMask(tenant, requestSlots(body));
    const { entities } = await this.maskSlots(tenant, slots, memory);
    let text = JSON.stringify(body);

    const finder = leakFinder(entities);
    let leaks = finder.leaks(text);
    if (leaks.length > 0) {
      // An original found in one place may also stand, undetected, elsewhere in the content
      // (a password quoted in prose): replace it there too, as a whole token, then check again.
      for (const slot of slots) slot.set(finder.repair(slot.get()));
      text = JSON.stringify(body);
      const found = leaks;
      leaks = finder.leaks(text);
      const repaired = found.filter((leak) => !leaks.includes(leak));
      if (repaired.length > 0) this.deps.observer?.guardRepaired(repaired.map((leak) => leak.type));
    }
    if (leaks.length > 0) {
      // An ARN part's type is built from the ARN's own service and resource type (user text): logged as `arn_resource`.
      const types = new Set(leaks.map((leak) => (leak.type.startsWith("arn_") ? "arn_resource" : leak.type)));
      this.deps.logger.error("egress guard refused a request", { types: [...types] });
      this.deps.observer?.guardRefused(leaks.map((leak) => leak.type));
      throw egressRefused();
    }
    return { body: Buffer.from(text), entities, facts: requestFacts(body.model, body.stream) };
  }

  /**
   * Masks loose texts exactly as the content of one request (the tenant memory, the guard and
   * its repair included): `/v1/mask` and `claude-masking-proxy mask` preview what would leave.
   */
  async maskLooseTexts(tenant: string, texts: readonly string[]): Promise<{ masked: string[]; entities: MaskedEntity[] }> {
    const messages = texts.map((content) => ({ role: "user", content }));
    const { entities } = await this.maskRequest(tenant, { messages });
    return { masked: messages.map((message) => message.content), entities };
  }

  /** Parses and masks the pieces the history could not reuse (one store round trip for all). */
  private async maskNewPieces(tenant: string, pieces: NewPiece[], memory: OriginalsMatcher | undefined): Promise<MaskedNewPiece[] | undefined> {
    const parsed: { value: unknown; slots: Slot[] }[] = [];
    for (const { key, element, text } of pieces) {
      // Too deep to walk and serialise: the ordinary path refuses the whole body with a 400.
      // The piece sits one level (a member) or two (an element of `messages`) inside the body.
      if (nestedDeeperThan(text, MAX_JSON_DEPTH - (element ? 2 : 1))) return undefined;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return undefined; // the ordinary path reports the error
      }
      // A piece of an unexpected shape: the ordinary path refuses the whole body with a 400.
      if (element ? messageProblem(value, 0) : memberProblem(key, value)) return undefined;
      // The walker sees the piece where it sits in the body.
      const holder = element ? { messages: [value] } : { [key]: value };
      parsed.push({ value, slots: this.slotsToMask(tenant, requestSlots(holder as Json)) });
    }
    const { perSlot } = await this.maskSlots(tenant, parsed.flatMap(({ slots }) => slots), memory);
    let slotOffset = 0;
    return parsed.map(({ value, slots }) => {
      const own = new Map<string, MaskedEntity>();
      for (let i = 0; i < slots.length; i++) for (const entity of perSlot[slotOffset + i]!) own.set(entity.original, entity);
      slotOffset += slots.length;
      return { masked: Buffer.from(JSON.stringify(value)), entities: [...own.values()] };
    });
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
  private async maskSlots(tenant: string, slots: Slot[], memory: OriginalsMatcher | undefined): Promise<{ entities: MaskedEntity[]; perSlot: MaskedEntity[][] }> {
    const cache = this.deps.maskedTexts;
    const entities = new Map<string, MaskedEntity>();
    const perSlot: MaskedEntity[][] = new Array(slots.length);
    const uncached: number[] = [];
    slots.forEach((slot, i) => {
      const hit = cache?.get(tenant, slot.get());
      // A text masked before the memory learned an original it holds is masked again.
      if (!hit || (memory && memory.learnedSinceIn(hit.masked, hit.memory))) {
        uncached.push(i);
        return;
      }
      if (memory) hit.memory = memory.stamp();
      slot.set(hit.masked);
      perSlot[i] = hit.entities;
      for (const entity of hit.entities) entities.set(entity.original, entity);
    });
    if (uncached.length > 0) {
      const texts = uncached.map((i) => slots[i]!.get());
      const stamp = memory?.stamp();
      const result = await this.deps.masker.maskTexts(tenant, texts, memory);
      if (result.memoryHits && Object.keys(result.memoryHits).length > 0) this.deps.observer?.memoryHits(result.memoryHits);
      uncached.forEach((slotIndex, i) => {
        const own = result.perText[i]!.map((index) => result.entities[index]!);
        slots[slotIndex]!.set(result.masked[i]!);
        perSlot[slotIndex] = own;
        cache?.set(tenant, texts[i]!, result.masked[i]!, own, stamp);
      });
      for (const entity of result.entities) entities.set(entity.original, entity);
    }
    return { entities: [...entities.values()], perSlot };
  }
}
