/**
 * The shapes of the re-sent-history optimisation: a body is handled as pieces (top-level
 * members and `messages` elements, see json-segments.ts), and each piece's masked form is
 * remembered with the bytes it came from.
 */
import type { MemoryStamp } from "../../masking/originals-matcher.ts";
import type { MaskedEntity } from "../../masking/types.ts";

/** The masked form of one piece of a body, shared by every remembered body holding it. */
export interface MaskedPiece {
  key: string;
  element: boolean;
  first: boolean;
  /** The masked JSON of the value, UTF-8. */
  masked: Buffer;
  entities: MaskedEntity[];
  /** When these bytes were masked through the store (ms since the epoch). */
  maskedAt: number;
  /**
   * Originals (raw or JSON-escaped) the egress guard has found absent from `masked`; one set
   * shared by every piece checked in the same request.
   */
  verified: ReadonlySet<string>;
  /** The tenant memory `masked` was last checked against (see masking/tenant-memory.ts). */
  memory?: MemoryStamp;
}

/** A piece where it sits in one body: its raw value is bytes [start, end). */
export interface PlacedPiece {
  start: number;
  end: number;
  piece: MaskedPiece;
}

/** A body remembered for the tenant: its raw bytes and where its masked pieces came from. */
export interface RememberedBody {
  bytes: Buffer;
  pieces: PlacedPiece[];
}
