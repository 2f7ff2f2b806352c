/**
 * The catalogue without the scanner's shortcuts: every pattern run as a global regex over the
 * whole text, and `everyStart` entries at every position. Slow (quadratic where a trigger
 * would have skipped), so only for short texts; scanner.test.ts and adversarial.test.ts
 * compare the real scanner with it.
 */
import { Scanner } from "../../src/masking/scanner.ts";
import type { CatalogueEntry } from "../../src/masking/types.ts";

export function referenceScanner(entries: readonly CatalogueEntry[], text: string): Scanner {
  const everyChar = [...new Set(text.split(""))].join("");
  return new Scanner(
    entries.map((entry) => {
      if (!entry.triggers) return entry;
      if (entry.everyStart) return everyChar ? { ...entry, triggers: [{ chars: everyChar }] } : { ...entry, triggers: undefined };
      return { ...entry, triggers: undefined };
    }),
  );
}
