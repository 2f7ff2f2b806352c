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
  /**
   * What precedes the opening (a regex source, read in the lookbehind), for formats whose
   * fixed part sits inside them (`\d{8,10}` before Telegram's `:AA`).
   */
  lead?: string;
  /** The opening stays readable and only the body is masked (webhook URLs keep their host). */
  keepOpening?: boolean;
}

const AN = "[A-Za-z0-9]";
const B64U = "[A-Za-z0-9_-]";
const HEX = "[0-9a-f]";

/**
 * Formats with a distinctive opening, as gitleaks' and secretlint's rule sets and the vendors'
 * own documentation describe them. Bodies are as long as the vendor makes them; formats with
 * no opening of their own (Datadog's 32 hex, Heroku's legacy UUIDs) are found by context.
 */
export const VENDOR_FORMATS: readonly VendorFormat[] = [
  // Cloud providers
  { type: "google_api_key", prefix: "SECRET_GOOGLE_API_KEY", opening: "AIza", trigger: "z", body: `${B64U}{35}` },
  { type: "google_oauth_client_secret", prefix: "SECRET_GOOGLE_OAUTH", opening: "GOCSPX-", body: `${B64U}{28}` },
  { type: "google_oauth_token", prefix: "SECRET_GOOGLE_OAUTH", opening: "ya29.", body: `${B64U}{30,}` },
  { type: "google_fcm_server_key", prefix: "SECRET_GOOGLE_FCM_KEY", lead: `AAAA${B64U}{7}`, opening: ":APA91b", trigger: ":", body: `${B64U}{134}` },
  { type: "aws_bedrock_api_key", prefix: "SECRET_AWS_BEDROCK_KEY", opening: "ABSK", trigger: "K", body: "[A-Za-z0-9+/]{109,269}={0,2}" },
  { type: "azure_storage_key", prefix: "SECRET_AZURE_STORAGE_KEY", opening: "AccountK", body: "ey=[A-Za-z0-9+/]{86}==" },
  { type: "azure_client_secret", prefix: "SECRET_AZURE_CLIENT_SECRET", lead: "[A-Za-z0-9_~.]{3}\\d", opening: "Q~", trigger: "~", body: "[A-Za-z0-9_~.-]{31,34}" },
  { type: "alibaba_access_key_id", prefix: "SECRET_ALIBABA_KEY", opening: "LTAI", trigger: "A", body: `${AN}{20}` },
  { type: "digitalocean_token", prefix: "SECRET_DIGITALOCEAN_TOKEN", opening: "dop_v1_", body: `${HEX}{64}` },
  { type: "digitalocean_token", prefix: "SECRET_DIGITALOCEAN_TOKEN", opening: "doo_v1_", body: `${HEX}{64}` },
  { type: "digitalocean_token", prefix: "SECRET_DIGITALOCEAN_TOKEN", opening: "dor_v1_", body: `${HEX}{64}` },
  { type: "cloudflare_token", prefix: "SECRET_CLOUDFLARE_TOKEN", opening: "cfut_", body: `${AN}{40}${HEX}{8}` },
  { type: "cloudflare_token", prefix: "SECRET_CLOUDFLARE_TOKEN", opening: "cfat_", body: `${AN}{40}${HEX}{8}` },
  { type: "cloudflare_token", prefix: "SECRET_CLOUDFLARE_TOKEN", opening: "cfk_", body: `${AN}{40}${HEX}{8}` },
  { type: "cloudflare_origin_ca_key", prefix: "SECRET_CLOUDFLARE_TOKEN", opening: "v1.0-", body: `${HEX}{24}-${HEX}{146}` },
  { type: "flyio_token", prefix: "SECRET_FLYIO_TOKEN", opening: "fo1_", body: `${B64U}{43}` },
  { type: "heroku_api_key", prefix: "SECRET_HEROKU_KEY", opening: "HRKU-AA", trigger: "-", body: `${B64U}{58}` },
  { type: "yandex_key", prefix: "SECRET_YANDEX_KEY", opening: "AQVN", trigger: "N", body: `${B64U}{35,38}` },
  { type: "yandex_token", prefix: "SECRET_YANDEX_KEY", opening: "y0_Ag", trigger: "_", body: `${B64U}{50,60}` },
  { type: "openshift_token", prefix: "SECRET_OPENSHIFT_TOKEN", opening: "sha256~", body: `${B64U}{43}` },
  // Code hosting, registries, CI
  { type: "gitlab_token", prefix: "SECRET_GITLAB_TOKEN", opening: "glptt-", body: `${HEX}{40}` },
  { type: "gitlab_token", prefix: "SECRET_GITLAB_TOKEN", opening: "glft-", body: `${B64U}{20}` },
  { type: "gitlab_token", prefix: "SECRET_GITLAB_TOKEN", opening: "glagent-", body: `${B64U}{50}` },
  { type: "gitlab_token", prefix: "SECRET_GITLAB_TOKEN", opening: "gloas-", body: `${B64U}{64}` },
  { type: "gitlab_token", prefix: "SECRET_GITLAB_TOKEN", opening: "glcbt-", body: `${AN}{1,5}_${B64U}{20}` },
  { type: "npm_token", prefix: "SECRET_NPM_TOKEN", opening: "npm_", body: `${AN}{36}` },
  { type: "dockerhub_token", prefix: "SECRET_DOCKERHUB_TOKEN", opening: "dckr_pat_", body: `${B64U}{27}` },
  { type: "pypi_token", prefix: "SECRET_PYPI_TOKEN", opening: "pypi-", body: `AgEIcHlwaS5vcmc${B64U}{50,}` },
  { type: "rubygems_token", prefix: "SECRET_RUBYGEMS_TOKEN", opening: "rubygems_", body: `${HEX}{48}` },
  { type: "clojars_token", prefix: "SECRET_CLOJARS_TOKEN", opening: "CLOJARS_", body: "[a-z0-9]{60}" },
  { type: "jfrog_token", prefix: "SECRET_JFROG_TOKEN", opening: "AKCp", trigger: "p", body: `${AN}{69}` },
  { type: "atlassian_token", prefix: "SECRET_ATLASSIAN_TOKEN", opening: "ATATT3", trigger: "A", body: "[A-Za-z0-9_=-]{150,300}" },
  { type: "bitbucket_token", prefix: "SECRET_ATLASSIAN_TOKEN", opening: "ATBB", trigger: "A", body: `${AN}{32}` },
  { type: "sourcegraph_token", prefix: "SECRET_SOURCEGRAPH_TOKEN", opening: "sgp_", body: `${HEX}{16}_${HEX}{40}` },
  { type: "sonarqube_token", prefix: "SECRET_SONARQUBE_TOKEN", opening: "squ_", body: `${HEX}{40}` },
  { type: "sonarqube_token", prefix: "SECRET_SONARQUBE_TOKEN", opening: "sqp_", body: `${HEX}{40}` },
  { type: "sonarqube_token", prefix: "SECRET_SONARQUBE_TOKEN", opening: "sqa_", body: `${HEX}{40}` },
  { type: "octopus_api_key", prefix: "SECRET_OCTOPUS_KEY", opening: "API-", body: "[A-Z0-9]{26}" },
  { type: "harness_token", prefix: "SECRET_HARNESS_TOKEN", opening: "pat.", body: `${B64U}{22}\\.${AN}{24}\\.${AN}{20}` },
  { type: "harness_token", prefix: "SECRET_HARNESS_TOKEN", opening: "sat.", body: `${B64U}{22}\\.${AN}{24}\\.${AN}{20}` },
  { type: "infracost_key", prefix: "SECRET_INFRACOST_KEY", opening: "ico-", body: `${AN}{32}` },
  { type: "scalingo_token", prefix: "SECRET_SCALINGO_TOKEN", opening: "tk-us-", body: `${B64U}{48}` },
  { type: "prefect_key", prefix: "SECRET_PREFECT_KEY", opening: "pnu_", body: `${AN}{36}` },
  { type: "terraform_cloud_token", prefix: "SECRET_TERRAFORM_TOKEN", lead: `${AN}{14}`, opening: ".atlasv1.", trigger: ".", body: "[A-Za-z0-9_=-]{60,70}" },
  { type: "vercel_token", prefix: "SECRET_VERCEL_TOKEN", opening: "vcp_", body: `${AN}{20,60}` },
  { type: "vercel_token", prefix: "SECRET_VERCEL_TOKEN", opening: "vci_", body: `${AN}{20,60}` },
  { type: "vercel_token", prefix: "SECRET_VERCEL_TOKEN", opening: "vca_", body: `${AN}{20,60}` },
  { type: "vercel_token", prefix: "SECRET_VERCEL_TOKEN", opening: "vcr_", body: `${AN}{20,60}` },
  { type: "vercel_token", prefix: "SECRET_VERCEL_TOKEN", opening: "vck_", body: `${AN}{20,60}` },
  { type: "netlify_token", prefix: "SECRET_NETLIFY_TOKEN", opening: "nfp_", body: `${AN}{30,64}` },
  { type: "pulumi_token", prefix: "SECRET_PULUMI_TOKEN", opening: "pul-", body: `${HEX}{40}` },
  { type: "databricks_token", prefix: "SECRET_DATABRICKS_TOKEN", opening: "dapi", trigger: "p", body: `${HEX}{32}(?:-\\d)?` },
  { type: "doppler_token", prefix: "SECRET_DOPPLER_TOKEN", opening: "dp.pt.", body: `${AN}{43}` },
  { type: "vault_token", prefix: "SECRET_VAULT_TOKEN", opening: "hvs.", body: `${B64U}{24,}` },
  { type: "vault_token", prefix: "SECRET_VAULT_TOKEN", opening: "hvb.", body: `${B64U}{138,300}` },
  { type: "planetscale_token", prefix: "SECRET_PLANETSCALE_TOKEN", opening: "pscale_", body: "(?:tkn|pw|oauth)_[A-Za-z0-9_=.-]{32,64}" },
  { type: "tailscale_key", prefix: "SECRET_TAILSCALE_KEY", opening: "tskey-", body: "[a-z]+-[A-Za-z0-9_]{8,40}-[A-Za-z0-9_]{16,60}" },
  { type: "onepassword_token", prefix: "SECRET_1PASSWORD_TOKEN", opening: "ops_", body: "eyJ[A-Za-z0-9+/]{250,}={0,3}" },
  { type: "onepassword_secret_key", prefix: "SECRET_1PASSWORD_TOKEN", opening: "A3-", body: "[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}" },
  { type: "age_secret_key", prefix: "SECRET_AGE_KEY", opening: "AGE-SECRET-KEY-", body: "1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}" },
  // Observability
  { type: "grafana_service_account_token", prefix: "SECRET_GRAFANA_TOKEN", opening: "glsa_", body: `${AN}{32}_[A-Fa-f0-9]{8}` },
  { type: "grafana_cloud_token", prefix: "SECRET_GRAFANA_TOKEN", opening: "glc_", body: "eyJ[A-Za-z0-9+/]{29,400}={0,2}" },
  { type: "grafana_api_key", prefix: "SECRET_GRAFANA_TOKEN", opening: "eyJrIjoi", trigger: "J", body: `${AN}{70,400}={0,3}` },
  { type: "newrelic_key", prefix: "SECRET_NEWRELIC_KEY", opening: "NRAK-", body: "[A-Z0-9]{27}" },
  { type: "newrelic_key", prefix: "SECRET_NEWRELIC_KEY", opening: "NRJS-", body: `${HEX}{19}` },
  { type: "newrelic_key", prefix: "SECRET_NEWRELIC_KEY", opening: "NRII-", body: `${B64U}{32}` },
  { type: "dynatrace_token", prefix: "SECRET_DYNATRACE_TOKEN", opening: "dt0c01.", body: "[A-Z0-9]{24}\\.[A-Z0-9]{64}" },
  { type: "sentry_token", prefix: "SECRET_SENTRY_TOKEN", opening: "sntrys_", body: "eyJ[A-Za-z0-9+/]{40,}={0,2}_[A-Za-z0-9+/]{43}" },
  { type: "sentry_token", prefix: "SECRET_SENTRY_TOKEN", opening: "sntryu_", body: `${HEX}{64}` },
  // Payments and commerce
  { type: "stripe_key", prefix: "SECRET_STRIPE_KEY", opening: "whsec_", body: `${AN}{32,}` },
  { type: "square_token", prefix: "SECRET_SQUARE_TOKEN", opening: "sq0atp-", body: `${B64U}{22}` },
  { type: "square_token", prefix: "SECRET_SQUARE_TOKEN", opening: "sq0csp-", body: `${B64U}{43}` },
  { type: "square_token", prefix: "SECRET_SQUARE_TOKEN", opening: "EAAA", trigger: "A", body: `${B64U}{60}` },
  { type: "facebook_token", prefix: "SECRET_FACEBOOK_TOKEN", opening: "EAA", trigger: "A", body: `[A-Z]${AN}{100,}` },
  { type: "shopify_token", prefix: "SECRET_SHOPIFY_TOKEN", opening: "shpat_", body: "[a-fA-F0-9]{32}" },
  { type: "shopify_token", prefix: "SECRET_SHOPIFY_TOKEN", opening: "shpss_", body: "[a-fA-F0-9]{32}" },
  { type: "shopify_token", prefix: "SECRET_SHOPIFY_TOKEN", opening: "shpca_", body: "[a-fA-F0-9]{32}" },
  { type: "shopify_token", prefix: "SECRET_SHOPIFY_TOKEN", opening: "shppa_", body: "[a-fA-F0-9]{32}" },
  { type: "flutterwave_key", prefix: "SECRET_FLUTTERWAVE_KEY", opening: "FLWSECK", trigger: "K", body: `(?:_TEST)?-${HEX}{32}-X` },
  { type: "gocardless_token", prefix: "SECRET_GOCARDLESS_TOKEN", opening: "live_", body: `${B64U}{40}` },
  { type: "lob_key", prefix: "SECRET_LOB_KEY", opening: "test_", body: `${HEX}{35}` },
  { type: "lob_key", prefix: "SECRET_LOB_KEY", opening: "live_", body: `${HEX}{35}` },
  { type: "shippo_token", prefix: "SECRET_SHIPPO_TOKEN", opening: "shippo_", body: `(?:live|test)_${HEX}{40}` },
  { type: "easypost_key", prefix: "SECRET_EASYPOST_KEY", opening: "EZAK", trigger: "K", body: `${AN}{54}` },
  { type: "easypost_key", prefix: "SECRET_EASYPOST_KEY", opening: "EZTK", trigger: "K", body: `${AN}{54}` },
  { type: "duffel_token", prefix: "SECRET_DUFFEL_TOKEN", opening: "duffel_", body: "(?:live|test)_[A-Za-z0-9_=-]{43}" },
  // AI providers
  { type: "huggingface_token", prefix: "SECRET_HUGGINGFACE_TOKEN", opening: "hf_", body: "[A-Za-z]{34}" },
  { type: "huggingface_token", prefix: "SECRET_HUGGINGFACE_TOKEN", opening: "api_org_", body: "[A-Za-z]{34}" },
  { type: "groq_key", prefix: "SECRET_GROQ_KEY", opening: "gsk_", body: `${AN}{52}` },
  { type: "perplexity_key", prefix: "SECRET_PERPLEXITY_KEY", opening: "pplx-", body: `${AN}{48}` },
  // Messaging, mail, productivity
  { type: "slack_token", prefix: "SECRET_SLACK_TOKEN", opening: "xapp-", body: "\\d-[A-Z0-9]{8,12}-\\d{10,15}-[a-f0-9]{32,80}" },
  { type: "sendgrid_key", prefix: "SECRET_SENDGRID_KEY", opening: "SG.", body: `${B64U}{22}\\.${B64U}{43}` },
  { type: "brevo_key", prefix: "SECRET_BREVO_KEY", opening: "xkeysib-", body: `${HEX}{64}-${AN}{16}` },
  { type: "mailgun_key", prefix: "SECRET_MAILGUN_KEY", opening: "key-", body: `${HEX}{32}` },
  { type: "mailchimp_key", prefix: "SECRET_MAILCHIMP_KEY", lead: `${HEX}{32}`, opening: "-us", trigger: "-", body: "\\d{1,2}" },
  { type: "twilio_api_key", prefix: "SECRET_TWILIO_KEY", opening: "SK", trigger: "K", body: "[0-9a-fA-F]{32}" },
  { type: "telegram_bot_token", prefix: "SECRET_TELEGRAM_TOKEN", lead: "\\d{8,10}", opening: ":AA", trigger: ":", body: `${B64U}{33}` },
  { type: "discord_webhook", prefix: "SECRET_DISCORD_WEBHOOK", opening: "discord.com/api/webhooks/", trigger: ".", keepOpening: true, body: `\\d{17,20}\\/${B64U}{60,68}` },
  { type: "discord_webhook", prefix: "SECRET_DISCORD_WEBHOOK", opening: "discordapp.com/api/webhooks/", trigger: ".", keepOpening: true, body: `\\d{17,20}\\/${B64U}{60,68}` },
  {
    type: "teams_webhook",
    prefix: "SECRET_TEAMS_WEBHOOK",
    opening: "webhook.office.com/webhookb2/",
    trigger: ".",
    keepOpening: true,
    body: "[0-9a-f-]{36}@[0-9a-f-]{36}\\/IncomingWebhook\\/[0-9a-f]{32}\\/[0-9a-f-]{36}",
  },
  { type: "linear_api_key", prefix: "SECRET_LINEAR_KEY", opening: "lin_api_", body: `${AN}{40}` },
  { type: "notion_token", prefix: "SECRET_NOTION_TOKEN", opening: "ntn_", body: `\\d{11}${AN}{35}` },
  { type: "notion_token", prefix: "SECRET_NOTION_TOKEN", opening: "secret_", body: `${AN}{43}` },
  { type: "figma_token", prefix: "SECRET_FIGMA_TOKEN", opening: "figd_", body: `${B64U}{40,200}` },
  { type: "frameio_token", prefix: "SECRET_FRAMEIO_TOKEN", opening: "fio-u-", body: "[A-Za-z0-9_=-]{64}" },
  { type: "adafruit_key", prefix: "SECRET_ADAFRUIT_KEY", opening: "aio_", body: `${AN}{28}` },
  { type: "airtable_token", prefix: "SECRET_AIRTABLE_TOKEN", lead: `pat${AN}{14}`, opening: ".", trigger: ".", body: `${HEX}{64}` },
  { type: "contentful_token", prefix: "SECRET_CONTENTFUL_TOKEN", opening: "CFPAT-", body: `${B64U}{43}` },
  { type: "readme_key", prefix: "SECRET_README_KEY", opening: "rdme_", body: "[a-z0-9]{70}" },
  { type: "typeform_token", prefix: "SECRET_TYPEFORM_TOKEN", opening: "tfp_", body: "[A-Za-z0-9_.=-]{59}" },
  { type: "intercom_token", prefix: "SECRET_INTERCOM_TOKEN", opening: "dG9rOj", trigger: "G", body: "[A-Za-z0-9+/]{50,56}={0,2}" },
  { type: "postman_api_key", prefix: "SECRET_POSTMAN_KEY", opening: "PMAK-", body: `${HEX}{24}-${HEX}{34}` },
  { type: "mapbox_token", prefix: "SECRET_MAPBOX_TOKEN", opening: "sk.eyJ1Ijoi", trigger: "J", body: `${B64U}{20,}\\.${B64U}{20,}` },
  { type: "dropbox_token", prefix: "SECRET_DROPBOX_TOKEN", opening: "sl.", body: "[A-Za-z0-9_=-]{135,}" },
  { type: "maxmind_key", prefix: "SECRET_MAXMIND_KEY", lead: `${AN}{6}_${AN}{29}`, opening: "_mmk", trigger: "_", body: "" },
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
const START = `(?:(?<![A-Za-z0-9_-])|${AFTER_ESCAPE})`;

/** Where the shared pass stops for a format: the trigger's index in the opening (its last occurrence). */
function triggerIndex({ type, opening, trigger }: VendorFormat): number {
  const at = trigger === undefined ? opening.length - 1 : opening.lastIndexOf(trigger);
  if (at < 0) throw new Error(`${type}: trigger ${trigger} is not in its opening ${opening}`);
  return at;
}

/**
 * One condition per trigger character for every format stopping at it: a single lookbehind of
 * alternatives (each the opening up to the trigger, with what must follow in a lookahead).
 * One lookaround per stop, whatever the number of formats: a condition per format would make
 * the pass pay for each of them at every `_`, `-` and `.` of ordinary text.
 */
function conditionsByTrigger(formats: readonly VendorFormat[]): Map<string, string> {
  const alternatives = new Map<string, string[]>();
  for (const format of formats) {
    const at = triggerIndex(format);
    const rest = format.opening.slice(at + 1);
    const alternative = `${format.lead ?? ""}${escape(format.opening.slice(0, at + 1))}${rest ? `(?=${escape(rest)})` : ""}`;
    const list = alternatives.get(format.opening[at]!) ?? [];
    if (!list.includes(alternative)) list.push(alternative);
    alternatives.set(format.opening[at]!, list);
  }
  return new Map([...alternatives].map(([char, list]) => [char, combined(list)]));
}

/**
 * The lookbehind of a trigger's alternatives, behind a one-character test of what precedes
 * the trigger: most stops of ordinary text fail that test and never try the alternatives.
 */
function combined(alternatives: string[]): string {
  /** An alternative's literal text before its lookahead, or undefined when it holds a class or a count. */
  const literalOf = (alternative: string): string | undefined => {
    const head = alternative.replace(/\(\?=.*$/, "");
    return /^(?:\\[.*+?^${}()|[\]\\/-]|[^\\.*+?^${}()|[\]])+$/.test(head) ? head.replace(/\\(.)/g, "$1") : undefined;
  };
  const literal = alternatives.filter((alternative) => (literalOf(alternative)?.length ?? 0) >= 2);
  const parts: string[] = [];
  if (literal.length > 0) {
    const before = new Set(literal.map((alternative) => literalOf(alternative)!.at(-2)!));
    const set = [...before].map((c) => c.replace(/[\\\]^-]/g, "\\$&")).join("");
    parts.push(`(?<=[${set}].)(?<=${literal.length === 1 ? literal[0] : `(?:${literal.join("|")})`})`);
  }
  for (const alternative of alternatives) if (!literal.includes(alternative)) parts.push(`(?<=${alternative})`);
  return parts.length === 1 ? parts[0]! : `(?:${parts.join("|")})`;
}

/**
 * Letters the word triggers (triggers.ts) already stop at in both cases: a vendor trigger on
 * one of them joins that pair's alternative of the shared pass instead of adding its own.
 */
const PAIRED_LETTERS = new Set(["p", "P", "z", "Z", "k", "K"]);
const passChars = (char: string) => (PAIRED_LETTERS.has(char) ? char.toLowerCase() + char.toUpperCase() : char);

/**
 * One entry per trigger character: the formats stopping at it are alternatives of one regex,
 * each marked by an empty group (`row12`) that tells `classify` and `leadIn` which one matched.
 * One entry per format would run every format's regex wherever any one's opening stands (a
 * text of `live_live_…` would run fifty regexes at each `_`).
 */
function entryFor(char: string, rows: readonly { format: VendorFormat; index: number }[], condition: string): CatalogueEntry {
  const alternatives = rows.map(({ format, index }) => {
    const { opening, body, lead, keepOpening } = format;
    const at = triggerIndex(format);
    const behind = `(?<=${START}${lead === undefined ? "" : `(?<lead>${lead})`}${escape(opening.slice(0, at + 1))})`;
    return `(?<row${index}>)${behind}${escape(opening.slice(at + 1))}${keepOpening ? `(?<value>${body})` : body}`;
  });
  const rowOf = (groups: Record<string, string | undefined>) => rows.find(({ index }) => groups[`row${index}`] !== undefined)!.format;
  const kinds = rows.map(({ format }) => ({ type: format.type, prefix: format.prefix }));
  return {
    type: kinds[0]!.type,
    prefix: kinds[0]!.prefix,
    priority: 8,
    triggers: [{ chars: passChars(char), when: condition }],
    // Starts at the trigger; what precedes it is read in a lookbehind (leadIn).
    pattern: new RegExp(`${escape(char)}(?:${alternatives.join("|")})(?![A-Za-z0-9_-])`, "g"),
    leadIn: (groups) => {
      const format = rowOf(groups);
      return format.keepOpening ? 0 : triggerIndex(format) + (groups.lead?.length ?? 0);
    },
    classify: (groups) => {
      const { type, prefix } = rowOf(groups);
      return { type, prefix };
    },
    family: [...new Map(kinds.map((kind) => [kind.type, kind])).values()],
  };
}

const CONDITIONS = conditionsByTrigger(VENDOR_FORMATS);
const ROWS_BY_TRIGGER = new Map<string, { format: VendorFormat; index: number }[]>();
VENDOR_FORMATS.forEach((format, index) => {
  const char = format.opening[triggerIndex(format)]!;
  ROWS_BY_TRIGGER.set(char, [...(ROWS_BY_TRIGGER.get(char) ?? []), { format, index }]);
});
export const vendorEntries: CatalogueEntry[] = [...ROWS_BY_TRIGGER].map(([char, rows]) => entryFor(char, rows, CONDITIONS.get(char)!));
