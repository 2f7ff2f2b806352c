#!/usr/bin/env bun
/** Entry point: parse the command line and dispatch to the server or a CLI command. */
import { parseArgs } from "node:util";
import { VERSION } from "./version.ts";

const HELP = `claude-masking-proxy ${VERSION}
Hides AWS identifiers and secrets from the LLM provider and restores them for Claude Code.

Usage:
  proxy [serve]                     start the HTTP proxy (default)
  proxy verify-setup [--json] [--offline]
                                    check configuration, store, claude CLI and upstream
  proxy mask [--jsonl] [--tenant NAME]
                                    mask stdin to stdout with the configured store
  proxy unmask [--jsonl] [--tenant NAME]
                                    restore surrogates from stdin to stdout
  proxy --help | --version

Configuration comes from environment variables; see README.md.`;

const COMMANDS = ["serve", "verify-setup", "mask", "unmask"] as const;
type Command = (typeof COMMANDS)[number];

function usageError(message: string): number {
  process.stderr.write(`proxy: ${message}\nRun \`proxy --help\` for usage.\n`);
  return 2;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
        json: { type: "boolean" },
        jsonl: { type: "boolean" },
        offline: { type: "boolean" },
        tenant: { type: "string" },
      },
    });
  } catch (error) {
    return usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (positionals.length > 1) return usageError(`unexpected argument '${positionals[1]}'`);

  const command = (positionals[0] ?? "serve") as Command;
  if (!COMMANDS.includes(command)) return usageError(`unknown command '${command}'; expected one of ${COMMANDS.join(", ")}`);

  switch (command) {
    case "serve":
      return (await import("./server/serve.ts")).serve(process.env);
    case "verify-setup":
      return (await import("./cli/verify-setup.ts")).verifySetup(process.env, { json: !!values.json, offline: !!values.offline });
    case "mask":
    case "unmask":
      return (await import("./cli/mask-command.ts")).maskCommand(command, process.env, {
        jsonl: !!values.jsonl,
        tenant: values.tenant ?? "default",
      });
  }
}

process.exitCode = await main(process.argv.slice(2));
