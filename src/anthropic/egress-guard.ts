/**
 * The seat belt: before a masked request leaves, it must not contain any original that this
 * request masked. A hit means a masking bug, and a bug must not leak.
 */

export interface MaskedEntity {
  type: string;
  surrogate: string;
  original: string;
}

/** Very short originals (a 6-letter password) also occur as ordinary words; they are not checked. */
export const MIN_GUARDED_LENGTH = 8;

/** Returns the entities whose original still appears in `body` (raw or JSON-escaped). */
export function findLeaks(body: string, entities: readonly MaskedEntity[]): MaskedEntity[] {
  const leaks: MaskedEntity[] = [];
  for (const entity of entities) {
    if (entity.original.length < MIN_GUARDED_LENGTH) continue;
    const escaped = JSON.stringify(entity.original).slice(1, -1);
    if (body.includes(entity.original) || (escaped !== entity.original && body.includes(escaped))) leaks.push(entity);
  }
  return leaks;
}
