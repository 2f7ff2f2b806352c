/**
 * The upstream signs the thinking text it produced, surrogates and all. When Claude Code sends
 * a restored thinking block back, re-masking it must reproduce exactly the signed bytes; this
 * remembers, per tenant, which signed text each restored text came from, for the rare case
 * where masking alone would not give it back (e.g. the model wrote an identifier of its own).
 */
import { createHash } from "node:crypto";

export class ThinkingCache {
  private readonly entries = new Map<string, string>();

  constructor(private readonly capacity = 2_000) {}

  private key(tenant: string, restored: string): string {
    return createHash("sha256").update(tenant).update("\0").update(restored).digest("base64");
  }

  remember(tenant: string, upstreamText: string, restoredText: string): void {
    if (upstreamText === restoredText) return; // masking gives it back unchanged anyway
    const key = this.key(tenant, restoredText);
    this.entries.delete(key);
    this.entries.set(key, upstreamText);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  signedTextFor(tenant: string, restoredText: string): string | undefined {
    return this.entries.get(this.key(tenant, restoredText));
  }
}
