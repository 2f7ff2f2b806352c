/**
 * `proxy mask` / `proxy unmask`: stdin → stdout with the configured store, so a second run in
 * a new process gives the same surrogates. `mask` masks as /v1/messages masks a request's
 * content (the tenant memory, the guard and its repair), so it previews what would leave.
 * `--jsonl` reads `{"id","text"}` lines and writes `{"id","masked"}` (or `{"id","text"}` for
 * unmask, which also reads `{"id","masked"}`: the two pipe into each other). On any failure
 * nothing partial is printed.
 */
import { formatProblems, loadConfig } from "../config.ts";
import { createCore } from "../core.ts";
import { createLogger } from "../log.ts";
import { RequestMasker } from "../proxy/request-masker.ts";
import { ThinkingCache } from "../proxy/thinking-cache.ts";

interface Options {
  jsonl: boolean;
  tenant: string;
}

export async function maskCommand(direction: "mask" | "unmask", env: Record<string, string | undefined>, options: Options): Promise<number> {
  const loaded = loadConfig(env);
  if (!loaded.ok) {
    process.stderr.write(`${formatProblems(loaded.problems)}\n`);
    return 1;
  }
  const input = await Bun.stdin.text();
  let core;
  try {
    core = await createCore(loaded.config);
  } catch (error) {
    process.stderr.write(`proxy ${direction}: ${(error as Error).message}\n`);
    return 1;
  }
  try {
    const records = options.jsonl ? parseJsonl(input, direction === "mask" ? ["text"] : ["masked", "text"]) : [{ id: undefined, text: input }];
    const texts = records.map((record) => record.text);
    const logger = createLogger("warn", (line) => process.stderr.write(line));
    const out =
      direction === "mask"
        ? (await new RequestMasker({ masker: core.masker, thinking: new ThinkingCache(), logger }).maskLooseTexts(options.tenant, texts)).masked
        : (await core.masker.unmaskTexts(options.tenant, texts)).texts;
    const field = direction === "mask" ? "masked" : "text";
    process.stdout.write(
      options.jsonl ? out.map((text, i) => `${JSON.stringify({ id: records[i]!.id, [field]: text })}\n`).join("") : out[0]!,
    );
    return 0;
  } catch (error) {
    const name = (error as Error).name;
    process.stderr.write(
      name === "StoreUnavailableError"
        ? `proxy ${direction}: the mapping store is unavailable; nothing was printed. Check STORE_URL (run \`proxy verify-setup\`).\n`
        : `proxy ${direction}: ${name === "InputError" ? (error as Error).message : "failed; nothing was printed"}\n`,
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
