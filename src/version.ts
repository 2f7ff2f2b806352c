/** The version, baked in by `scripts/build.ts` with `define`; from package.json when run from source. */
import packageJson from "../package.json" with { type: "json" };

declare const PROXY_BUILD_VERSION: string | undefined;

export const VERSION: string = typeof PROXY_BUILD_VERSION === "string" ? PROXY_BUILD_VERSION : packageJson.version;
