/** POST /v1/mask and /v1/unmask for other tools in the user's pipeline, tenant-scoped. */
import { badRequest } from "../../errors.ts";
import type { Masker } from "../../masking/masker.ts";
import { readJsonObject } from "../body.ts";
import type { AuthedContext } from "./context.ts";

function textOf(body: Record<string, unknown>): string {
  if (typeof body.text !== "string") throw badRequest('Send {"text": "…"}: the field "text" must be a string.');
  return body.text;
}

export function maskHandlers(masker: Pick<Masker, "maskTexts" | "unmaskTexts">, maxBodyBytes: number) {
  return {
    /** Never returns originals: the entities list only types and surrogates. */
    async mask({ tenant, request }: AuthedContext) {
      const text = textOf(await readJsonObject(request, maxBodyBytes));
      const { masked, entities } = await masker.maskTexts(tenant, [text]);
      return { text: masked[0], entities: entities.map(({ type, surrogate }) => ({ type, surrogate })) };
    },
    async unmask({ tenant, request }: AuthedContext) {
      const text = textOf(await readJsonObject(request, maxBodyBytes));
      const { texts, restored } = await masker.unmaskTexts(tenant, [text]);
      return { text: texts[0], entities: restored };
    },
  };
}
