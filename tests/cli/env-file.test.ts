/** The service's environment file as verify-setup, mask and unmask read it (systemd's syntax). */
import { expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { commandEnv, parseEnvFile } from "../../src/cli/env-file.ts";
import { tempDir } from "../helpers/proxy-process.ts";

test("KEY=VALUE lines: comments, blank lines, quotes, = and # inside values, CRLF", () => {
  const text = [
    "# the service's",
    "; also a comment",
    "",
    "ANTHROPIC_API_KEY=sk-ant-a=b#c",
    'PROXY_API_KEYS="team-a:k1,team-b:k2"',
    "  HOST = 127.0.0.1  ",
    "MASKING_SECRET='it''s'",
    "EMPTY=",
    "LOG_LEVEL=info\r",
  ].join("\n");
  expect(parseEnvFile(text)).toEqual({
    values: { ANTHROPIC_API_KEY: "sk-ant-a=b#c", PROXY_API_KEYS: "team-a:k1,team-b:k2", HOST: "127.0.0.1", MASKING_SECRET: "it''s", EMPTY: "", LOG_LEVEL: "info" },
    badLines: [],
  });
});

test("a line that is no assignment is reported by number, never by its text (it may hold a key)", () => {
  const { badLines } = parseEnvFile("GOOD=1\nsk-ant-a-pasted-key-without-a-name\nexport X=1\n");
  expect(badLines).toEqual([2, 3]);
  const dir = tempDir();
  const file = join(dir, "proxy.env");
  writeFileSync(file, "GOOD=1\nsk-ant-a-pasted-key-without-a-name\n");
  const result = commandEnv({ PATH: "/bin" }, file);
  expect(result.problem).toBe(`${file}: line(s) 2 are not KEY=VALUE assignments`);
  expect(result.problem).not.toContain("sk-ant");
});

test("from a file, only PATH and HOME come from the shell; without one, the shell's environment; a missing file is a problem", () => {
  const dir = tempDir();
  const file = join(dir, "proxy.env");
  writeFileSync(file, "DATA_DIR=/var/lib/x\n");
  expect(commandEnv({ PATH: "/bin", HOME: "/root", ANTHROPIC_API_KEY: "from-shell" }, file)).toEqual({ env: { PATH: "/bin", HOME: "/root", DATA_DIR: "/var/lib/x" }, file });
  // The installed file is read when it exists and no --env-file is given…
  expect(commandEnv({ PATH: "/bin" }, undefined, file).file).toBe(file);
  // …unless the environment names a store itself (a script, a test, an operator pointing elsewhere).
  expect(commandEnv({ PATH: "/bin", DATA_DIR: "/tmp/mine" }, undefined, file)).toEqual({ env: { PATH: "/bin", DATA_DIR: "/tmp/mine" } });
  expect(commandEnv({ STORE_URL: "redis://r:6379" }, undefined, file).file).toBeUndefined();
  expect(commandEnv({ DATA_DIR: "/tmp/mine" }, file, file).file).toBe(file); // --env-file always wins
  expect(commandEnv({ PATH: "/bin", A: "1" }, undefined, join(dir, "absent.env"))).toEqual({ env: { PATH: "/bin", A: "1" } });
  const missing = commandEnv({}, join(dir, "nope.env"));
  expect(missing.problem).toBe(`cannot read the environment file ${join(dir, "nope.env")}: check the path`);
});
