/**
 * Builds the single-file `claude-masking-proxy` executable with `bun build --compile`.
 *   bun run build       → dist/claude-masking-proxy for this machine
 *   bun run build:all   → release binaries for every target below, plus dist/SHA256SUMS
 *   --outdir DIR        → into DIR instead of dist/ (the tests build into a directory of their own)
 * A source map is embedded, so the binary's stack traces name source files and lines.
 * The version is baked in with `define`; `.env` and `bunfig.toml` autoload are off in the
 * binary, so a stray file in the service's working directory cannot reconfigure it.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import packageJson from "../package.json" with { type: "json" };

const ROOT = join(import.meta.dir, "..");
const outdirAt = process.argv.indexOf("--outdir");
const DIST = outdirAt === -1 ? join(ROOT, "dist") : process.argv[outdirAt + 1]!;

const RELEASE_TARGETS: { target: Bun.Build.CompileTarget; outfile: string }[] = [
  { target: "bun-linux-x64", outfile: "claude-masking-proxy-linux-x64" },
  { target: "bun-linux-x64-baseline", outfile: "claude-masking-proxy-linux-x64-baseline" },
  { target: "bun-linux-arm64", outfile: "claude-masking-proxy-linux-arm64" },
];

async function compile(outfile: string, target?: Bun.Build.CompileTarget): Promise<string> {
  const path = join(DIST, outfile);
  const result = await Bun.build({
    entrypoints: [join(ROOT, "src/main.ts")],
    // Identifier minification breaks Elysia's static analysis of handlers (it reads their source
    // to decide which request parts to parse), so only whitespace and syntax are minified.
    minify: { whitespace: true, syntax: true, identifiers: false },
    // Embedded: an error's stack frames in the log point at src/… lines, not at the bundle.
    sourcemap: "inline",
    define: { PROXY_BUILD_VERSION: JSON.stringify(packageJson.version) },
    compile: { outfile: path, ...(target ? { target } : {}), autoloadDotenv: false, autoloadBunfig: false },
  });
  if (!result.success) {
    for (const log of result.logs) console.error(log);
    throw new Error(`build of ${outfile} failed`);
  }
  // The map is embedded in the binary too; the file beside it is not needed to run it.
  rmSync(`${path}.map`, { force: true });
  console.log(`built ${path}${target ? ` (${target})` : ""}`);
  return path;
}

mkdirSync(DIST, { recursive: true });
if (process.argv.includes("--all")) {
  const sums: string[] = [];
  for (const { target, outfile } of RELEASE_TARGETS) {
    const path = await compile(outfile, target);
    sums.push(`${createHash("sha256").update(readFileSync(path)).digest("hex")}  ${basename(path)}`);
  }
  writeFileSync(join(DIST, "SHA256SUMS"), `${sums.join("\n")}\n`);
  console.log(`wrote ${join(DIST, "SHA256SUMS")}`);
} else {
  await compile("claude-masking-proxy");
}
