/** The Anthropic API surface: each handler reads the body and hands the call to MessagesService. */
import type { MessagesService } from "../../proxy/messages-service.ts";
import { readBodyBytes } from "../body.ts";
import type { AuthedContext } from "./context.ts";

export function messagesHandlers(service: MessagesService, maxBodyBytes: number) {
  // The call's stats are the record's from the start, so a call that fails still logs what it knew.
  const withBody = async ({ tenant, request, call }: AuthedContext) =>
    call.attach(await service.handle(tenant, request, await readBodyBytes(request, maxBodyBytes), call.startStats(), call.receivedAt));
  return {
    messages: withBody,
    countTokens: withBody,
    models: async ({ tenant, request, call }: AuthedContext) => call.attach(await service.handle(tenant, request, undefined, call.startStats(), call.receivedAt)),
  };
}
