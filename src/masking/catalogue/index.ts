/** The built-in catalogue: every type the proxy masks, assembled for one ARN mode. */
import { TOKEN_START } from "../boundary.ts";
import { surrogateSource } from "../surrogate-grammar.ts";
import { SURROGATE_ROOTS, type CatalogueEntry } from "../types.ts";
import { arnEntries } from "./arn.ts";
import { credentialEntries } from "./credentials.ts";
import { ec2Entries } from "./ec2.ts";
import { endpointEntries } from "./endpoints.ts";
import { errorMessageEntries } from "./error-messages.ts";
import { fieldEntries } from "./fields.ts";
import { hostEntries } from "./hosts.ts";
import { idEntries } from "./ids.ts";
import { networkEntries } from "./network.ts";
import { secretEntries } from "./secrets.ts";
import { vendorEntries } from "./vendors.ts";

/**
 * Text that already looks like one of our surrogates (a user typing `AWS_EC2_001`) is masked
 * as a type of its own, so it comes back exactly as typed and never as someone's instance ID.
 */
export function literalSurrogateEntry(roots: readonly string[]): CatalogueEntry {
  return {
    type: "literal_surrogate",
    prefix: "LITERAL",
    priority: 0,
    // At the `_` after the root, and the root and the boundary before it are read back from there.
    triggers: roots.map((r) => ({ chars: "_", when: `(?<=${TOKEN_START}${r}_)(?=[A-Z0-9])`, back: [r.length] })),
    // Exactly what the restorers read as a surrogate (surrogate-grammar.ts).
    pattern: new RegExp(surrogateSource(roots), "g"),
  };
}

export function builtInCatalogue(arnMode: "parts" | "whole"): CatalogueEntry[] {
  return [
    literalSurrogateEntry(SURROGATE_ROOTS),
    ...secretEntries,
    ...vendorEntries,
    ...arnEntries(arnMode),
    ...credentialEntries,
    ...endpointEntries,
    ...fieldEntries,
    ...errorMessageEntries,
    ...hostEntries,
    ...idEntries,
    ...ec2Entries,
    ...networkEntries,
  ];
}
