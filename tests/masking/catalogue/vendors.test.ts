/** Every vendor format: a realistic token is masked whole, a look-alike stays. */
import { expect, test } from "bun:test";
import { Scanner } from "../../../src/masking/scanner.ts";
import { vendorEntries } from "../../../src/masking/catalogue/vendors.ts";

const scanner = new Scanner(vendorEntries);
const TABLE: [token: string, type: string][] = [
  ["AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY", "google_api_key"],
  ["npm_abcdefghijklmnopqrstuvwxyz0123456789", "npm_token"],
  ["dckr_pat_abcdefghijklmnopqrstuvwxyz0", "dockerhub_token"],
  [`pypi-AgEIcHlwaS5vcmc${"A1b2C3d4E5".repeat(6)}`, "pypi_token"],
  ["hf_abcdefghijklmnopqrstuvwxyzABCDEFGH", "huggingface_token"],
  ["SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ", "sendgrid_key"],
  ["hvs.CAESIJ1a2b3c4d5e6f7g8h9i0jKLMN", "vault_token"],
  [`dop_v1_${"0123456789abcdef".repeat(4)}`, "digitalocean_token"],
  ["shpat_0123456789abcdef0123456789abcdef", "shopify_token"],
  ["lin_api_abcdefghijklmnopqrstuvwxyz0123456789ABCD", "linear_api_key"],
  ["PMAK-0123456789abcdef01234567-0123456789abcdef0123456789abcdef01", "postman_api_key"],
  ["glsa_abcdefghijklmnopqrstuvwxyz012345_0a1b2c3d", "grafana_service_account_token"],
  [`AGE-SECRET-KEY-1${"QPZRY9X8GF".repeat(5)}QPZRY9X8`, "age_secret_key"],
  [`pul-${"0123456789abcdef0123456789abcdef01234567"}`, "pulumi_token"],
  ["sq0atp-abcdefghijklmnopqrstuv", "square_token"],
  ["AccountKey=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb==", "azure_storage_key"],
];

test.each(TABLE)("%s is %s, masked whole in context", (token, type) => {
  const text = `export TOKEN="${token}"`;
  expect(scanner.scan(text).map((m) => [text.slice(m.start, m.end), m.type])).toEqual([[token, type]]);
});

test.each(TABLE)("%s inside a longer word, or cut short, is left alone (too short: its first 20 characters)", (token) => {
  expect(scanner.scan(`x${token}`)).toEqual([]);
  expect(scanner.scan(`${token.slice(0, 20)} `)).toEqual([]);
});
