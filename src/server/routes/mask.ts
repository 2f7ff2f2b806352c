/** POST /v1/mask and /v1/unmask for other tools in the user's pipeline, tenant-scoped. */
import type { Masker } from "../../masking/masker.ts";
import { badRequest } from "../errors.ts";

function textOf(body: Record<string, unknown>): string {
  if (typeof body.text !== "string") throw badRequest('Send {"text": "…"}: the field "text" must be a string.');
  return body.text;
}

export function maskHandlers(masker: Masker) {
  return {
    /** Never returns originals: the entities list only types and surrogates. */
    async mask(tenant: string, body: Record<string, unknown>) {
      const { masked, entities } = await masker.maskTexts(tenant, [textOf(body)]);
      return { text: masked[0], entities: entities.map(({ type, surrogate }) => ({ type, surrogate })) };
    },
    async unmask(tenant: string, body: Record<string, unknown>) {
      const { texts, restored } = await masker.unmaskTexts(tenant, [textOf(body)]);
      return { text: texts[0], entities: restored };
    },
  };
}
