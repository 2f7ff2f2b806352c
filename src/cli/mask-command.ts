/**
 * `claude-masking-proxy mask` / `claude-masking-proxy unmask`: stdin → stdout with the configured store, so a second run in
 * a new process gives the same surrogates. `mask` masks as /v1/messages masks a request's
 * content (the tenant memory, the guard and its repair), so it previews what would leave.
 * `--jsonl` reads `{"id","text"}` lines and writes `{"id","masked"}` (or `{"id","text"}` for
 * unmask, which also reads `{"id","masked"}`: the two pipe into each other). On any failure
 * nothing partial is printed.
 */
import { existsSync } from "node:fs";
import { type Config, formatProblems, loadConfig } from "../config.ts";
import { existingMaskingSecret } from "../secrets.ts";
import { commandEnv } from "./env-file.ts";
import { PROGRAM } from "./help.ts";
import { createCore } from "../core.ts";
import { createLogger } from "../log.ts";
import { RequestMasker } from "../proxy/request-masker.ts";
import { ThinkingCache } from "../proxy/thinking-cache.ts";

interface Options {
  jsonl: boolean;
  tenant: string;
  /** The service's environment file (default: the installed one, when it exists). */
  envFile?: string;
  /** `mask` may start a new, empty store and secret where there is none. */
  newStore?: boolean;
}

/**
 * Why this command would start from nothing: no store file, or no secret to read it with. A new
 * store restores nothing the service masked, so it is never created without --new-store.
 */
function missingStore(config: Config): string | undefined {
  const database = config.storeUrl.startsWith("sqlite://") ? config.storeUrl.slice("sqlite://".length) : undefined;
  if (database !== undefined && !existsSync(database)) return `there is no mapping store at ${database}`;
  if (!existingMaskingSecret(config)) return `there is no masking secret (MASKING_SECRET, or ${config.dataDir}/masking-secret)`;
  return undefined;
}

export async function maskCommand(direction: "mask" | "unmask", processEnv: Record<string, string | undefined>, options: Options): Promise<number> {
  const source = commandEnv(processEnv, options.envFile);
  if (source.problem) {
    process.stderr.write(`${PROGRAM} ${direction}: ${source.problem}\n`);
    return 1;
  }
  const loaded = loadConfig(source.env);
  if (!loaded.ok) {
    process.stderr.write(`${formatProblems(loaded.problems)}\n`);
    return 1;
  }
  const missing = missingStore(loaded.config);
  if (missing && !(direction === "mask" && options.newStore)) {
    const where = source.file ? `the environment of ${source.file}` : "this environment";
    const fix =
      direction === "mask"
        ? "point DATA_DIR or STORE_URL (or --env-file) at the service's store, or pass --new-store to start an empty one here"
        : "point DATA_DIR or STORE_URL (or --env-file) at the service's store: surrogates are restored from the store that made them";
    process.stderr.write(`${PROGRAM} ${direction}: ${missing} (${where}); nothing was done. ${fix}.\n`);
    return 1;
  }
  const input = await Bun.stdin.text();
  let core;
  try {
    core = await createCore(loaded.config);
  } catch (error) {
    process.stderr.write(`${PROGRAM} ${direction}: ${(error as Error).message}\n`);
    return 1;
  }
  try {
    const records = options.jsonl ? parseJsonl(input, direction === "mask" ? ["text"] : ["masked", "text"]) : [{ id: undefined, text: input }];
    const texts = records.map((record) => record.text);
    const logger = createLogger("warn", (line) => process.stderr.write(line));
    let out: string[];
    if (direction === "mask") out = (await new RequestMasker({ masker: core.masker, thinking: new ThinkingCache(), logger }).maskLooseTexts(options.tenant, texts)).masked;
    else {
      const restored = await core.masker.unmaskTexts(options.tenant, texts);
      out = restored.texts;
      if (restored.unknown.length > 0) {
        // Left as they are: made by another store or tenant, or text that only looks like one.
        process.stderr.write(
          `${PROGRAM} unmask: ${restored.unknown.length} surrogate-shaped value(s) are not in this store for tenant ${options.tenant}, left as they are (e.g. ${restored.unknown[0]}). Another DATA_DIR, STORE_URL or --tenant?\n`,
        );
      }
    }
    const field = direction === "mask" ? "masked" : "text";
    process.stdout.write(
      options.jsonl ? out.map((text, i) => `${JSON.stringify({ id: records[i]!.id, [field]: text })}\n`).join("") : out[0]!,
    );
    return 0;
  } catch (error) {
    const name = (error as Error).name;
    process.stderr.write(
      name === "StoreUnavailableError"
        ? `${PROGRAM} ${direction}: the mapping store is unavailable; nothing was printed. Check STORE_URL (run \`${PROGRAM} verify-setup\`).\n`
        : `${PROGRAM} ${direction}: ${name === "InputError" ? (error as Error).message : "failed; nothing was printed"}\n`,
    );
    return 1;
  } finally {
    await core.close();
  }
}

class InputError extends Error {
  override name = "InputError";
}

/** `{"id", FIELD}` lines, FIELD the first of `fields` the line has. */
function parseJsonl(input: string, fields: readonly string[]): { id: unknown; text: string }[] {
  const wanted = fields.map((field) => `"${field}"`).join(" or ");
  return input
    .split("\n")
    .map((line, index) => ({ line: line.trim(), index }))
    .filter(({ line }) => line !== "")
    .map(({ line, index }) => {
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        throw new InputError(`line ${index + 1} is not JSON; expected {"id": …, ${fields.map((field) => `"${field}": "…"`).join(" or ")}}`);
      }
      const fieldsOf = (record ?? {}) as Record<string, unknown>;
      const text = fields.map((field) => fieldsOf[field]).find((value) => value !== undefined);
      if (typeof text !== "string") throw new InputError(`line ${index + 1} has no string ${wanted} field`);
      return { id: fieldsOf.id, text };
    });
}
