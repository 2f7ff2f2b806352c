/**
 * The re-sent-history optimisation, behind one door. Claude Code re-sends its whole
 * conversation every turn: the pieces of a body (top-level members and `messages` elements)
 * that this tenant sent before, found by comparing bytes with a remembered body, are reused as
 * they are; only the others are handed to `maskNew` (parsed, masked and serialised by the
 * caller). The output is byte for byte what masking the whole parsed body gives. Anything
 * unusual, including a guard hit, returns undefined: the caller takes the ordinary path.
 */
import type { OriginalsMatcher } from "../../masking/originals-matcher.ts";
import type { MaskedEntity } from "../../masking/types.ts";
import { assembleBody } from "./assemble-body.ts";
import { BodyBuffers } from "./body-buffers.ts";
import type { BodyHistory } from "./body-history.ts";
import { guardPieces } from "./piece-guard.ts";
import type { MaskedPiece, PlacedPiece } from "./pieces.ts";
import { planPieces } from "./piece-plan.ts";

export { BodyHistory } from "./body-history.ts";
export { MaskedTextCache } from "./masked-text-cache.ts";

/** A piece that must be masked afresh: where it sits (`key`, an element of `messages` or not) and its raw JSON. */
export interface NewPiece {
  key: string;
  element: boolean;
  text: string;
}

/** A new piece masked: its JSON as JSON.stringify writes it, and the entities it holds. */
export interface MaskedNewPiece {
  masked: Buffer;
  entities: MaskedEntity[];
}

/** Masks the new pieces (one store round trip for all); undefined when one does not parse. */
export type MaskNewPieces = (tenant: string, pieces: NewPiece[], memory: OriginalsMatcher | undefined) => Promise<MaskedNewPiece[] | undefined>;

export interface ReusedBody {
  /** The masked body, UTF-8, in a leased buffer. */
  body: Buffer;
  entities: MaskedEntity[];
  /** Returns the buffer for reuse: call once the upstream request has settled. */
  release: () => void;
  /** The masked JSON of a top-level member (`model`, `stream`), if the body has it. */
  member: (key: string) => string | undefined;
}

const NONE_VERIFIED: ReadonlySet<string> = new Set();

/** The door: masks `bytes` reusing what `history` remembers, or returns undefined (take the ordinary path). */
export type MaskReusingHistory = (tenant: string, bytes: Buffer, memory?: OriginalsMatcher) => Promise<ReusedBody | undefined>;

export function historyReuse(history: BodyHistory, maskNew: MaskNewPieces): MaskReusingHistory {
  const buffers = new BodyBuffers();
  return async (tenant, bytes, memory) => {
    const previous = history.closest(tenant, bytes);
    const now = history.now();
    const planned = planPieces(bytes, previous, (piece) => now - piece.maskedAt <= history.maxAgeMs);
    if (!planned) return undefined;
    // A piece masked before the tenant's memory learned an original it holds (another
    // conversation masked it since) is not reused as it is: the ordinary path masks it.
    if (memory) {
      for (const { reuse } of planned) {
        if (reuse && memory.learnedSinceIn(reuse.masked, reuse.memory)) return undefined;
      }
      const stamp = memory.stamp();
      for (const { reuse } of planned) if (reuse) reuse.memory = stamp;
    }

    const newIndexes: number[] = [];
    const newPieces: NewPiece[] = [];
    planned.forEach(({ key, element, text }, index) => {
      if (text === undefined) return;
      newIndexes.push(index);
      newPieces.push({ key, element, text });
    });
    const maskedWith = memory?.stamp(); // before masking: what the memory learns meanwhile is not checked
    const maskedNew = newPieces.length ? await maskNew(tenant, newPieces, memory) : [];
    if (!maskedNew) return undefined;
    const pieces = planned.map((plannedPiece) => plannedPiece.reuse);
    newIndexes.forEach((index, k) => {
      const { key, element, first } = planned[index]!;
      const { masked, entities } = maskedNew[k]!;
      pieces[index] = { key, element, first, masked, entities, maskedAt: now, verified: NONE_VERIFIED, memory: maskedWith };
    });
    const complete = pieces as MaskedPiece[];

    const entities = new Map<string, MaskedEntity>();
    for (const piece of complete) for (const entity of piece.entities) entities.set(entity.original, entity);
    const { lease, placed, keys } = assembleBody(complete, buffers);
    if (!guardPieces(lease.bytes, placed, keys, [...entities.values()])) {
      lease.release();
      return undefined;
    }

    const remembered: PlacedPiece[] = planned.map(({ start, end }, index) => ({ start, end, piece: complete[index]! }));
    // The body it grew from is forgotten: the conversation's next turn will extend this one.
    const grewFrom = previous && previous.shared * 2 >= previous.body.bytes.length ? previous.body : undefined;
    history.remember(tenant, { bytes, pieces: remembered }, grewFrom);
    const member = (key: string) => complete.find((piece) => !piece.element && piece.key === key)?.masked.toString("utf8");
    return { body: lease.bytes, entities: [...entities.values()], release: lease.release, member };
  };
}
