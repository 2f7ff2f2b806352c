/**
 * `proxy mask` / `proxy unmask`: stdin → stdout with the configured store, so a second run in
 * a new process gives the same surrogates. `--jsonl` reads `{"id","text"}` lines and writes
 * `{"id","masked"}` (or `{"id","text"}` for unmask). On any failure nothing partial is printed.
 */
import { formatProblems, loadConfig } from "../config.ts";
import { createCore } from "../core.ts";

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
    const records = options.jsonl ? parseJsonl(input) : [{ id: undefined, text: input }];
    const texts = records.map((record) => record.text);
    const out =
      direction === "mask"
        ? (await core.masker.maskTexts(options.tenant, texts)).masked
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

function parseJsonl(input: string): { id: unknown; text: string }[] {
  return input
    .split("\n")
    .map((line, index) => ({ line: line.trim(), index }))
    .filter(({ line }) => line !== "")
    .map(({ line, index }) => {
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        throw new InputError(`line ${index + 1} is not JSON; expected {"id": …, "text": "…"}`);
      }
      const { id, text } = (record ?? {}) as { id?: unknown; text?: unknown };
      if (typeof text !== "string") throw new InputError(`line ${index + 1} has no string "text" field`);
      return { id, text };
    });
}
