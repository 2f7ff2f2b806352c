/**
 * Triggers shared by several catalogue entries (see `CatalogueEntry.anchor`): the scanner
 * searches each once per text and runs the entries that share it only where it occurs.
 */

/** Names that make the value assigned to them a secret, and zone-ID fields (case-insensitive). */
export const SECRET_WORDS = /secret|token|passw|pwd|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth[_-]?key|zone/gi;

/** Every AWS host name this catalogue knows ends in amazonaws.com (or amazonaws.com.cn). */
export const AMAZONAWS = /amazonaws\.com/g;
