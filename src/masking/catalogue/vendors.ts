/**
 * Vendor tokens as data: one row per format with a fixed, distinctive opening (the format's own
 * prefix, as gitleaks' rules name them). Each row becomes an entry that the shared pass finds
 * at the last character of its opening (chosen among characters the pass already stops at:
 * `_`, `-`, `.`, `A`, `K`), reading the rest of the opening back in a lookbehind.
 * A new vendor is one row.
 */
import { AFTER_ESCAPE } from "../boundary.ts";
import type { CatalogueEntry } from "../types.ts";

interface VendorFormat {
  type: string;
  prefix: string;
  /** The literal opening; its last character is the trigger, unless `trigger` names another. */
  opening: string;
  /** The opening's character the shared pass stops at, when its last one is common in text. */
  trigger?: string;
  /** What follows the opening (a regex source). */
  body: string;
}

export const VENDOR_FORMATS: readonly VendorFormat[] = [
  { type: "google_api_key", prefix: "SECRET_GOOGLE_API_KEY", opening: "AIza", trigger: "z", body: "[0-9A-Za-z_-]{35}" },
  { type: "npm_token", prefix: "SECRET_NPM_TOKEN", opening: "npm_", body: "[A-Za-z0-9]{36}" },
  { type: "dockerhub_token", prefix: "SECRET_DOCKERHUB_TOKEN", opening: "dckr_pat_", body: "[A-Za-z0-9_-]{27}" },
  { type: "pypi_token", prefix: "SECRET_PYPI_TOKEN", opening: "pypi-", body: "AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}" },
  { type: "huggingface_token", prefix: "SECRET_HUGGINGFACE_TOKEN", opening: "hf_", body: "[A-Za-z]{34}" },
  { type: "sendgrid_key", prefix: "SECRET_SENDGRID_KEY", opening: "SG.", body: "[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}" },
  { type: "vault_token", prefix: "SECRET_VAULT_TOKEN", opening: "hvs.", body: "[A-Za-z0-9_-]{24,}" },
  { type: "digitalocean_token", prefix: "SECRET_DIGITALOCEAN_TOKEN", opening: "dop_v1_", body: "[a-f0-9]{64}" },
  { type: "shopify_token", prefix: "SECRET_SHOPIFY_TOKEN", opening: "shpat_", body: "[a-fA-F0-9]{32}" },
  { type: "linear_api_key", prefix: "SECRET_LINEAR_KEY", opening: "lin_api_", body: "[A-Za-z0-9]{40}" },
  { type: "postman_api_key", prefix: "SECRET_POSTMAN_KEY", opening: "PMAK-", body: "[a-f0-9]{24}-[a-f0-9]{34}" },
  { type: "grafana_service_account_token", prefix: "SECRET_GRAFANA_TOKEN", opening: "glsa_", body: "[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}" },
  { type: "age_secret_key", prefix: "SECRET_AGE_KEY", opening: "AGE-SECRET-KEY-", body: "1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}" },
  { type: "pulumi_token", prefix: "SECRET_PULUMI_TOKEN", opening: "pul-", body: "[a-f0-9]{40}" },
  { type: "square_token", prefix: "SECRET_SQUARE_TOKEN", opening: "sq0atp-", body: "[0-9A-Za-z_-]{22}" },
  // Azure storage connection strings: `AccountKey=` then 88 characters of base64.
  { type: "azure_storage_key", prefix: "SECRET_AZURE_STORAGE_KEY", opening: "AccountK", body: "ey=[A-Za-z0-9+/]{86}==" },
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
const START = `(?:(?<![A-Za-z0-9_-])|${AFTER_ESCAPE})`;

function entryFor({ type, prefix, opening, trigger, body }: VendorFormat): CatalogueEntry {
  const at = trigger === undefined ? opening.length - 1 : opening.lastIndexOf(trigger);
  if (at < 0) throw new Error(`${type}: trigger ${trigger} is not in its opening ${opening}`);
  const upTo = opening.slice(0, at + 1);
  return {
    type,
    prefix,
    priority: 8,
    triggers: [{ chars: opening[at]!, when: `(?<=${START}${escape(upTo)})` }],
    // Starts at the trigger; the opening before it is read in a lookbehind (leadIn).
    pattern: new RegExp(`${escape(opening[at]!)}(?<=${START}${escape(upTo)})${escape(opening.slice(at + 1))}${body}(?![A-Za-z0-9_-])`, "g"),
    leadIn: () => at,
  };
}

export const vendorEntries: CatalogueEntry[] = VENDOR_FORMATS.map(entryFor);
