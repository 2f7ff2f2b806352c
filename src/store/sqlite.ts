/**
 * Embedded store on SQLite (bun:sqlite, WAL). One IMMEDIATE transaction per batch makes
 * get-or-create atomic across processes sharing the file. Counters only ever grow, so an
 * expired surrogate is never handed to a different original.
 */
import { Database } from "bun:sqlite";
import { chmodSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { MappingCrypto, formatSurrogate } from "./crypto.ts";
import { StoreUnavailableError, type MappingStore, type MaskItem, type StoreChanges, type StoreHealth } from "./types.ts";

const SWEEP_INTERVAL_MS = 10 * 60_000;

export class SqliteStore implements MappingStore {
  private readonly db: Database;
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(
    readonly path: string,
    private readonly crypto: MappingCrypto,
    private readonly ttlMs: number,
  ) {
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      this.db = new Database(path, { create: true });
      // Nothing in it is in clear, but it is nobody else's business either (WAL files inherit this).
      chmodSync(path, 0o600);
      this.db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;");
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS mappings (
          tenant TEXT NOT NULL, lookup TEXT NOT NULL, surrogate TEXT NOT NULL,
          sealed TEXT NOT NULL, expires_at INTEGER NOT NULL,
          PRIMARY KEY (tenant, lookup)) WITHOUT ROWID;
        CREATE UNIQUE INDEX IF NOT EXISTS mappings_by_surrogate ON mappings (tenant, surrogate);
        CREATE INDEX IF NOT EXISTS mappings_by_expiry ON mappings (expires_at);
        CREATE TABLE IF NOT EXISTS counters (
          tenant TEXT NOT NULL, prefix TEXT NOT NULL, value INTEGER NOT NULL,
          PRIMARY KEY (tenant, prefix)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS journal (
          seq INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL, surrogate TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS journal_by_tenant ON journal (tenant, seq);`);
      // A store from before the journal: its live mappings join the feed once.
      this.db.exec(`INSERT INTO journal (tenant, surrogate)
        SELECT tenant, surrogate FROM mappings WHERE NOT EXISTS (SELECT 1 FROM journal) ORDER BY expires_at`);
    } catch (error) {
      throw new StoreUnavailableError(`cannot open the SQLite store at ${path}: ${(error as Error).message}`);
    }
    this.sweep();
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  /** Deletes expired mappings and their journal lines; counters stay, so numbers are never reused. */
  sweep(now = Date.now()): number {
    const deleted = this.db.run("DELETE FROM mappings WHERE expires_at <= ?", [now]).changes;
    if (deleted > 0) {
      this.db.run("DELETE FROM journal WHERE NOT EXISTS (SELECT 1 FROM mappings m WHERE m.tenant = journal.tenant AND m.surrogate = journal.surrogate)");
    }
    return deleted;
  }

  async getOrCreate(tenant: string, items: readonly MaskItem[]): Promise<string[]> {
    const find = this.db.query<{ surrogate: string; expires_at: number }, [string, string]>(
      "SELECT surrogate, expires_at FROM mappings WHERE tenant = ? AND lookup = ?",
    );
    const touch = this.db.query("UPDATE mappings SET expires_at = ? WHERE tenant = ? AND lookup = ?");
    const next = this.db.query<{ value: number }, [string, string]>(
      "INSERT INTO counters (tenant, prefix, value) VALUES (?, ?, 1) ON CONFLICT (tenant, prefix) DO UPDATE SET value = value + 1 RETURNING value",
    );
    const insert = this.db.query("INSERT OR REPLACE INTO mappings (tenant, lookup, surrogate, sealed, expires_at) VALUES (?, ?, ?, ?, ?)");
    const journal = this.db.query("INSERT INTO journal (tenant, surrogate) VALUES (?, ?)");
    const run = this.db.transaction((now: number) =>
      items.map((item) => {
        const lookup = this.crypto.lookupKey(tenant, item.original);
        const row = find.get(tenant, lookup);
        if (row && row.expires_at > now) {
          // Extend the idle lifetime, but only write when less than half of it is left.
          if (row.expires_at - now < this.ttlMs / 2) touch.run(now + this.ttlMs, tenant, lookup);
          return row.surrogate;
        }
        const surrogate = formatSurrogate(item.prefix, next.get(tenant, item.prefix)!.value);
        insert.run(tenant, lookup, surrogate, this.crypto.encrypt(tenant, lookup, item.original), now + this.ttlMs);
        journal.run(tenant, surrogate);
        return surrogate;
      }),
    );
    try {
      return run.immediate(Date.now());
    } catch (error) {
      throw new StoreUnavailableError(`SQLite store write failed: ${(error as Error).message}`);
    }
  }

  async lookup(tenant: string, surrogates: readonly string[]): Promise<(string | undefined)[]> {
    if (surrogates.length === 0) return [];
    const now = Date.now();
    let rows: { surrogate: string; lookup: string; sealed: string; expires_at: number }[];
    try {
      rows = this.db
        .query<{ surrogate: string; lookup: string; sealed: string; expires_at: number }, [string, string]>(
          "SELECT surrogate, lookup, sealed, expires_at FROM mappings WHERE tenant = ? AND surrogate IN (SELECT value FROM json_each(?))",
        )
        .all(tenant, JSON.stringify(surrogates));
    } catch (error) {
      throw new StoreUnavailableError(`SQLite store read failed: ${(error as Error).message}`);
    }
    const found = new Map<string, string>();
    const stale: string[] = [];
    for (const row of rows) {
      if (row.expires_at <= now) continue;
      const original = this.crypto.decrypt(tenant, row.lookup, row.sealed);
      if (original === undefined) continue;
      found.set(row.surrogate, original);
      if (row.expires_at - now < this.ttlMs / 2) stale.push(row.lookup);
    }
    if (stale.length > 0) {
      this.db.run("UPDATE mappings SET expires_at = ? WHERE tenant = ? AND lookup IN (SELECT value FROM json_each(?))", [
        now + this.ttlMs,
        tenant,
        JSON.stringify(stale),
      ]);
    }
    return surrogates.map((surrogate) => found.get(surrogate));
  }

  async changesSince(tenant: string, cursor: number, limit: number): Promise<StoreChanges> {
    let rows: { seq: number; surrogate: string; lookup: string; sealed: string; expires_at: number }[];
    try {
      rows = this.db
        .query<{ seq: number; surrogate: string; lookup: string; sealed: string; expires_at: number }, [string, number, number]>(
          `SELECT j.seq, m.surrogate, m.lookup, m.sealed, m.expires_at FROM journal j
           JOIN mappings m ON m.tenant = j.tenant AND m.surrogate = j.surrogate
           WHERE j.tenant = ? AND j.seq > ? ORDER BY j.seq LIMIT ?`,
        )
        .all(tenant, cursor, limit);
    } catch (error) {
      throw new StoreUnavailableError(`SQLite store read failed: ${(error as Error).message}`);
    }
    const now = Date.now();
    const entries: StoreChanges["entries"] = [];
    for (const row of rows) {
      const original = row.expires_at > now ? this.crypto.decrypt(tenant, row.lookup, row.sealed) : undefined;
      if (original !== undefined) entries.push({ surrogate: row.surrogate, original });
    }
    return { entries, cursor: rows.length > 0 ? rows.at(-1)!.seq : cursor, complete: rows.length < limit };
  }

  async health(): Promise<StoreHealth> {
    try {
      this.db.query("SELECT 1").get();
      return { ok: true, engine: "sqlite", detail: `sqlite ${this.db.query<{ v: string }, []>("SELECT sqlite_version() AS v").get()!.v}` };
    } catch {
      return { ok: false, engine: "sqlite", detail: "sqlite file not readable" };
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.db.close();
  }
}
