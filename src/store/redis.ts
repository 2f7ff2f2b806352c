/**
 * Redis and Redis Cluster engines on node-redis. Fail closed: no offline queue, short
 * connect and command timeouts, so a dead Redis turns into a fast StoreUnavailableError (the
 * HTTP layer answers 503) instead of a hang; the client keeps reconnecting in the background,
 * so the proxy recovers on its own when Redis is back.
 */
import { createHash } from "node:crypto";
import { createClient, createCluster } from "redis";
import { MappingCrypto } from "./crypto.ts";
import { CHANGES_SINCE, GET_OR_CREATE, LOOKUP } from "./redis-scripts.ts";
import { StoreUnavailableError, type MappingStore, type MaskItem, type StoreChanges, type StoreHealth } from "./types.ts";

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");
const script = (body: string) => ({ body, sha: sha1(body) });
const SCRIPTS = { getOrCreate: script(GET_OR_CREATE), lookup: script(LOOKUP), changesSince: script(CHANGES_SINCE) };

/** Reconnect quickly at first, then every 2 s at most, forever. */
const reconnectStrategy = (retries: number) => Math.min(50 * 2 ** retries, 2_000);

interface Sender {
  send(firstKey: string, args: string[], timeoutMs: number): Promise<unknown>;
  info(): Promise<string>;
  close(): Promise<void>;
  /** Why the client last lost or failed to open its connection (`ECONNREFUSED`…), for the log. */
  lastConnectionError(): string | undefined;
}

/**
 * A connection error as the log may show it: its name, code and message, which name hosts and
 * ports, never a command's arguments (those are only in command replies, not socket errors).
 */
function connectionErrorTracker(): { record: (error: unknown) => void; last: () => string | undefined } {
  let last: string | undefined;
  return {
    record: (error) => {
      const { name, code, message } = error as { name?: string; code?: unknown; message?: string };
      last = `${name ?? "Error"}${typeof code === "string" ? ` (${code})` : ""}: ${String(message ?? "").slice(0, 160)}`;
    },
    last: () => last,
  };
}

export interface RedisStoreOptions {
  url: string;
  secret: string;
  ttlMs: number;
  commandTimeoutMs?: number;
}

export class RedisStore implements MappingStore {
  private readonly crypto: MappingCrypto;
  private readonly timeoutMs: number;

  private constructor(
    private readonly sender: Sender,
    private readonly engine: "redis" | "redis-cluster",
    options: RedisStoreOptions,
    private readonly ttlMs = options.ttlMs,
  ) {
    this.crypto = new MappingCrypto(options.secret);
    this.timeoutMs = options.commandTimeoutMs ?? 1_000;
  }

  static async open(options: RedisStoreOptions): Promise<RedisStore> {
    const timeouts = { connectTimeout: options.commandTimeoutMs ?? 1_000, reconnectStrategy };
    if (options.url.startsWith("redis+cluster://")) {
      const rootNodes = options.url
        .slice("redis+cluster://".length)
        .split(",")
        .map((node) => ({ url: `redis://${node.trim()}` }));
      const cluster = createCluster({ rootNodes, defaults: { socket: timeouts, disableOfflineQueue: true } });
      const errors = connectionErrorTracker();
      cluster.on("error", errors.record); // surfaced per command; the client reconnects by itself
      await connectInBackground(cluster.connect());
      const sender: Sender = {
        send: (firstKey, args, timeout) => cluster.sendCommand(firstKey, false, args, { timeout }),
        info: async () => String(await cluster.sendCommand(undefined, true, ["INFO"], {})),
        lastConnectionError: errors.last,
        close: async () => void (await cluster.close().catch(() => {})),
      };
      return new RedisStore(sender, "redis-cluster", options);
    }
    const client = createClient({ url: options.url, socket: timeouts, disableOfflineQueue: true });
    const errors = connectionErrorTracker();
    client.on("error", errors.record);
    await connectInBackground(client.connect());
    const sender: Sender = {
      send: (_key, args, timeout) => client.sendCommand(args, { timeout }),
      info: async () => String(await client.sendCommand(["INFO"], { timeout: 2_000 })),
      lastConnectionError: errors.last,
      close: async () => void (await client.close().catch(() => {})),
    };
    return new RedisStore(sender, "redis", options);
  }

  private tag(tenant: string): string {
    return `cmp:{${createHash("sha256").update(tenant).digest("hex").slice(0, 16)}}`;
  }

  /** EVALSHA, loading the script on first use (or after a Redis restart lost it). */
  private async evalScript(script: { body: string; sha: string }, key: string, args: string[]): Promise<unknown> {
    try {
      try {
        return await this.sender.send(key, ["EVALSHA", script.sha, "1", key, ...args], this.timeoutMs);
      } catch (error) {
        if (!String((error as Error).message).includes("NOSCRIPT")) throw error;
        return await this.sender.send(key, ["EVAL", script.body, "1", key, ...args], this.timeoutMs);
      }
    } catch (error) {
      throw new StoreUnavailableError(this.unavailable((error as Error).name));
    }
  }

  async getOrCreate(tenant: string, items: readonly MaskItem[]): Promise<string[]> {
    if (items.length === 0) return [];
    const args = [String(this.ttlMs), String(Math.floor(this.ttlMs / 2))];
    for (const item of items) {
      const lookup = this.crypto.lookupKey(tenant, item.original);
      args.push(lookup, item.prefix, this.crypto.encrypt(tenant, lookup, item.original));
    }
    return (await this.evalScript(SCRIPTS.getOrCreate, `${this.tag(tenant)}:n`, args)) as string[];
  }

  async lookup(tenant: string, surrogates: readonly string[]): Promise<(string | undefined)[]> {
    if (surrogates.length === 0) return [];
    const args = [String(this.ttlMs), String(Math.floor(this.ttlMs / 2)), ...surrogates];
    const values = (await this.evalScript(SCRIPTS.lookup, `${this.tag(tenant)}:n`, args)) as (string | null)[];
    return values.map((value) => {
      if (!value) return undefined;
      const colon = value.indexOf(":");
      return this.crypto.decrypt(tenant, value.slice(0, colon), value.slice(colon + 1));
    });
  }

  async changesSince(tenant: string, cursor: number, limit: number): Promise<StoreChanges> {
    const flat = (await this.evalScript(SCRIPTS.changesSince, `${this.tag(tenant)}:n`, [String(cursor), String(limit)])) as string[];
    const entries: StoreChanges["entries"] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const value = flat[i + 1]!;
      if (value === "") continue; // expired
      const colon = value.indexOf(":");
      const original = this.crypto.decrypt(tenant, value.slice(0, colon), value.slice(colon + 1));
      if (original !== undefined) entries.push({ surrogate: flat[i]!, original });
    }
    return { entries, cursor: cursor + flat.length / 2, complete: flat.length / 2 < limit };
  }

  /** Facts verify-setup reports: version, eviction policy, persistence. */
  async diagnostics(): Promise<{ version: string; maxmemoryPolicy: string; aof: boolean; rdb: boolean }> {
    const info = await this.sender.info();
    const field = (name: string) => new RegExp(`^${name}:(.*)$`, "m").exec(info)?.[1]?.trim() ?? "";
    return {
      version: field("redis_version"),
      maxmemoryPolicy: field("maxmemory_policy"),
      aof: field("aof_enabled") === "1",
      rdb: field("rdb_last_save_time") !== "" && field("rdb_changes_since_last_save") !== "" && (await this.rdbConfigured()),
    };
  }

  private async rdbConfigured(): Promise<boolean> {
    try {
      const reply = (await this.sender.send("x", ["CONFIG", "GET", "save"], 2_000)) as string[];
      return (reply[1] ?? "").trim() !== "";
    } catch {
      return false; // CONFIG may be disabled on managed Redis; then we cannot tell
    }
  }

  async health(): Promise<StoreHealth> {
    try {
      await this.sender.send("x", ["PING"], this.timeoutMs);
      return { ok: true, engine: this.engine, detail: this.engine };
    } catch (error) {
      return { ok: false, engine: this.engine, detail: this.unavailable((error as Error).name) };
    }
  }

  /** What failed, and the last connection error that explains it. */
  private unavailable(commandError: string): string {
    const connection = this.sender.lastConnectionError();
    return `Redis store unavailable: ${commandError}${connection ? `; last connection error: ${connection}` : ""}`;
  }

  async close(): Promise<void> {
    await this.sender.close();
  }
}

/**
 * Waits briefly for the first connection but never fails the start: with Redis down the proxy
 * still starts, answers 503 (fail closed) and recovers once the background reconnect succeeds.
 */
async function connectInBackground(connecting: Promise<unknown>): Promise<void> {
  const settled = connecting.then(
    () => true,
    () => false,
  );
  await Promise.race([settled, Bun.sleep(1_500)]);
}
