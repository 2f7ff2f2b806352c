/**
 * The store never holds an original in clear. From MASKING_SECRET we derive two keys (HKDF,
 * distinct labels): one for HMAC-SHA256 lookup keys, one for AES-256-GCM encryption of the
 * originals. The ciphertext is bound to its tenant and lookup key (GCM additional data), so a
 * stored value cannot be replayed under another tenant or mapping.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";

export class MappingCrypto {
  private readonly hmacKey: Buffer;
  private readonly aesKey: Buffer;

  constructor(secret: string) {
    if (secret.length < 16) throw new Error("MASKING_SECRET is too short: use at least 32 random characters");
    const salt = Buffer.from("claude-masking-proxy/v1");
    this.hmacKey = Buffer.from(hkdfSync("sha256", secret, salt, "lookup-hmac", 32));
    this.aesKey = Buffer.from(hkdfSync("sha256", secret, salt, "original-aes-gcm", 32));
  }

  /** Deterministic lookup key for (tenant, original): same inputs, same key, on every instance. */
  lookupKey(tenant: string, original: string): string {
    return createHmac("sha256", this.hmacKey).update(tenant).update("\0").update(original).digest("base64url");
  }

  encrypt(tenant: string, lookup: string, original: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.aesKey, iv);
    cipher.setAAD(Buffer.from(`${tenant}\0${lookup}`));
    const body = Buffer.concat([cipher.update(original, "utf8"), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
  }

  /** Returns undefined when the value was written under another secret, tenant or lookup key. */
  decrypt(tenant: string, lookup: string, sealed: string): string | undefined {
    try {
      const data = Buffer.from(sealed, "base64");
      const decipher = createDecipheriv("aes-256-gcm", this.aesKey, data.subarray(0, 12));
      decipher.setAAD(Buffer.from(`${tenant}\0${lookup}`));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString("utf8");
    } catch {
      return undefined;
    }
  }
}

export const formatSurrogate = (prefix: string, n: number) => `${prefix}_${String(n).padStart(3, "0")}`;
