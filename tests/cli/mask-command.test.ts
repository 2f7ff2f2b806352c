/** `claude-masking-proxy mask` / `claude-masking-proxy unmask` as separate processes sharing the embedded store. */
import { expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, runCommand, tempDir } from "../helpers/proxy-process.ts";
import { UNREACHABLE_REDIS_URL } from "../helpers/redis.ts";

const cli = (args: string[], env: Record<string, string>, stdin: string) =>
  runCommand(["bun", join(ROOT, "src/main.ts"), ...args], { env: { PATH: process.env.PATH!, ...env }, stdin });

test("a second `claude-masking-proxy mask` in a new process gives the same surrogates; unmask restores them", async () => {
  const env = { DATA_DIR: tempDir() };
  const text = "Instance i-0a1b2c3d4e5f67890 in account 123456789012 uses AKIAIOSFODNN7EXAMPLE.\n";
  const first = await cli(["mask", "--new-store"], env, text);
  expect(first).toEqual({ exitCode: 0, stdout: "Instance AWS_EC2_001 in account AWS_ACCOUNT_001 uses AWS_ACCESS_KEY_001.\n", stderr: "" });
  const second = await cli(["mask"], env, `again: AKIAIOSFODNN7EXAMPLE, i-0fffffffffffffff0`);
  expect(second.stdout).toBe("again: AWS_ACCESS_KEY_001, AWS_EC2_002");
  const back = await cli(["unmask"], env, first.stdout);
  expect(back.stdout).toBe(text);
  // Another tenant knows none of them.
  expect((await cli(["unmask", "--tenant", "other"], env, first.stdout)).stdout).toBe(first.stdout);
});

test("--jsonl masks a batch of records and keeps their ids", async () => {
  const env = { DATA_DIR: tempDir() };
  const input = '{"id":1,"text":"vpc-0a1b2c3d"}\n{"id":"b","text":"no secrets here"}\n{"id":null,"text":"sg-0123abcd and vpc-0a1b2c3d"}\n';
  const result = await cli(["mask", "--new-store", "--jsonl"], env, input);
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toBe('{"id":1,"masked":"AWS_VPC_001"}\n{"id":"b","masked":"no secrets here"}\n{"id":null,"masked":"AWS_SG_001 and AWS_VPC_001"}\n');
  const back = await cli(["unmask", "--jsonl"], env, '{"id":7,"text":"AWS_SG_001"}\n{"id":8,"masked":"AWS_VPC_001"}\n');
  expect(back.stdout).toBe('{"id":7,"text":"sg-0123abcd"}\n{"id":8,"text":"vpc-0a1b2c3d"}\n');
  expect((await cli(["unmask", "--jsonl"], env, '{"id":1}\n')).stderr).toBe('claude-masking-proxy unmask: line 1 has no string "masked" or "text" field\n');
  const bad = await cli(["mask", "--jsonl"], env, '{"id":1}\n');
  expect(bad).toEqual({ exitCode: 1, stdout: "", stderr: 'claude-masking-proxy mask: line 1 has no string "text" field\n' });
});

test("mask --jsonl | unmask --jsonl gives back every record as it was, and unmask's output masks again to the same", async () => {
  const env = { DATA_DIR: tempDir() };
  const records = [
    { id: 1, text: "password=tulips on i-0a1b2c3d4e5f67890\n" },
    { id: "two", text: 'key AKIAIOSFODNN7EXAMPLE "quoted" 한글' },
    { id: 3, text: "typed AWS_EC2_001 stays typed" },
  ];
  const input = records.map((record) => JSON.stringify(record)).join("\n");
  const masked = await cli(["mask", "--new-store", "--jsonl"], env, input);
  expect(masked.exitCode).toBe(0);
  const back = await cli(["unmask", "--jsonl"], env, masked.stdout);
  expect(back.stdout).toBe(records.map((record) => `${JSON.stringify(record)}\n`).join(""));
  expect((await cli(["mask", "--jsonl"], env, back.stdout)).stdout).toBe(masked.stdout);
});

test("mask previews /v1/messages: an original known from an earlier run (the tenant memory) and a repeat the catalogue misses are masked", async () => {
  const env = { DATA_DIR: tempDir() };
  expect((await cli(["mask", "--new-store"], env, "password: Tr0ub4dor&3x\n")).stdout).toBe("password: SECRET_VALUE_001\n");
  // No context here: only the memory knows it. Within one text, the guard's repair finds the second mention.
  expect((await cli(["mask"], env, "it was Tr0ub4dor&3x")).stdout).toBe("it was SECRET_VALUE_001");
  expect((await cli(["mask", "--new-store"], { DATA_DIR: tempDir() }, "password: Zq9!longpass then Zq9!longpass")).stdout).toBe("password: SECRET_VALUE_001 then SECRET_VALUE_001");
});

test("with the store unreachable it prints nothing and exits 1", async () => {
  const result = await cli(["mask"], { DATA_DIR: tempDir(), STORE_URL: UNREACHABLE_REDIS_URL, MASKING_SECRET: "z".repeat(40) }, "i-0a1b2c3d4e5f67890");
  expect(result).toEqual({
    exitCode: 1,
    stdout: "",
    stderr: "claude-masking-proxy mask: the mapping store is unavailable; nothing was printed. Check STORE_URL (run `claude-masking-proxy verify-setup`).\n",
  });
});

test("PATTERNS_FILE adds types; a bad entry stops the start with a message naming it", async () => {
  const dir = tempDir();
  const patterns = join(dir, "patterns.json");
  writeFileSync(patterns, JSON.stringify([{ type: "corp_host", pattern: "\\bsrv-[a-z]+\\.corp\\.example\\b", prefix: "CORP_HOST", priority: 5 }]));
  const masked = await cli(["mask", "--new-store"], { DATA_DIR: dir, PATTERNS_FILE: patterns }, "ssh srv-billing.corp.example now");
  expect(masked.stdout).toBe("ssh CORP_HOST_001 now");
  expect((await cli(["unmask"], { DATA_DIR: dir, PATTERNS_FILE: patterns }, "CORP_HOST_001")).stdout).toBe("srv-billing.corp.example");

  writeFileSync(patterns, JSON.stringify([{ type: "ok_type", pattern: "x{2}", prefix: "OK" }, { type: "broken", pattern: "([unclosed", prefix: "BROKEN" }]));
  const broken = await cli(["mask"], { DATA_DIR: dir, PATTERNS_FILE: patterns }, "text");
  expect(broken.exitCode).toBe(1);
  expect(broken.stdout).toBe("");
  expect(broken.stderr).toBe('claude-masking-proxy mask: PATTERNS_FILE entry 1 ("broken") has an invalid regular expression; fix its "pattern".\n');

  writeFileSync(patterns, JSON.stringify([{ type: "Bad Type", pattern: "x", prefix: "lower" }]));
  const serve = await runCommand(["bun", join(ROOT, "src/main.ts"), "serve"], {
    env: { PATH: process.env.PATH!, DATA_DIR: dir, PATTERNS_FILE: patterns, ANTHROPIC_API_KEY: "sk-ant-test", PORT: "0" },
  });
  expect(serve.exitCode).toBe(1);
  expect(serve.stderr).toStartWith("Cannot start: PATTERNS_FILE is invalid (entry 0 field \"type\":");
  expect(serve.stderr).toContain('entry 0 field "prefix":');
});
