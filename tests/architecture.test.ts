/**
 * The layout's rules, checked on every run: each source file belongs to a layer, imports only
 * from its own layer or below, and no import circle exists (type-only imports included: they
 * are coupling too). The layers, bottom to top, are what a folder listing of src/ shows.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const SRC = resolve(import.meta.dir, "../src");

/** Bottom first. A file's layer is the first prefix it starts with. */
const LAYERS: { name: string; prefixes: string[] }[] = [
  { name: "vocabulary", prefixes: ["errors.ts", "units.ts", "version.ts", "log.ts", "json.ts", "network-failure.ts", "types/"] },
  { name: "configuration", prefixes: ["config.ts", "secrets.ts"] },
  { name: "store", prefixes: ["store/"] },
  { name: "masking", prefixes: ["masking/"] },
  { name: "wire protocol and core", prefixes: ["anthropic/", "core.ts"] },
  { name: "re-sent history", prefixes: ["proxy/reuse/"] },
  { name: "proxy", prefixes: ["proxy/"] },
  { name: "runner", prefixes: ["runner/"] },
  { name: "server", prefixes: ["server/"] },
  { name: "cli", prefixes: ["cli/"] },
  { name: "entry", prefixes: ["main.ts"] },
];

function layerOf(file: string): number {
  const index = LAYERS.findIndex(({ prefixes }) => prefixes.some((prefix) => file === prefix || file.startsWith(prefix)));
  if (index === -1) throw new Error(`${file} belongs to no layer: add it to LAYERS in tests/architecture.test.ts`);
  return index;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [relative(SRC, join(dir, entry.name))] : [],
  );
}

/** Relative imports of a file (static, dynamic and re-exports), as paths under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), "utf8");
  const specifiers = [...text.matchAll(/(?:from|import\()\s*["'](\.[^"']+)["']/g)].map((match) => match[1]!);
  return specifiers.filter((spec) => spec.endsWith(".ts")).map((spec) => relative(SRC, resolve(SRC, dirname(file), spec)));
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((file) => [file, importsOf(file)]));

describe("architecture", () => {
  test("every source file has a layer and every import resolves to a source file", () => {
    for (const [file, imports] of graph) {
      layerOf(file);
      for (const target of imports) expect({ file, target, exists: graph.has(target) }).toEqual({ file, target, exists: true });
    }
  });

  test("no module imports from a layer above its own", () => {
    const upward: string[] = [];
    for (const [file, imports] of graph) {
      for (const target of imports) {
        if (layerOf(target) > layerOf(file)) upward.push(`${file} (${LAYERS[layerOf(file)]!.name}) → ${target} (${LAYERS[layerOf(target)]!.name})`);
      }
    }
    expect(upward).toEqual([]);
  });

  test("there is no import circle", () => {
    const circles: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const path: string[] = [];
    const visit = (file: string) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "visiting") {
        circles.push([...path.slice(path.indexOf(file)), file].join(" → "));
        return;
      }
      state.set(file, "visiting");
      path.push(file);
      for (const target of graph.get(file) ?? []) visit(target);
      path.pop();
      state.set(file, "done");
    };
    for (const file of files) visit(file);
    expect(circles).toEqual([]);
  });

  test("the checker reads the imports (one that read none would pass every rule above)", () => {
    // Guards the guard: a regex that matched nothing would pass every rule above.
    expect(importsOf("proxy/request-masker.ts")).toContain("proxy/reuse/index.ts");
    expect(layerOf("proxy/reuse/index.ts")).toBeLessThan(layerOf("proxy/request-masker.ts"));
    expect(graph.size).toBeGreaterThan(50);
  });
});
