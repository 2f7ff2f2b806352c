/** What every authenticated handler receives from the app (see app.ts). */
import type { CallRecord } from "../telemetry.ts";

export interface AuthedContext {
  tenant: string;
  /** The proxy key the caller presented; the runner hands it to its claude child. */
  callerKey: string;
  request: Request;
  call: CallRecord;
}
