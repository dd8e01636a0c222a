/**
 * The site's view of the API contract, from the types generated out of the OpenAPI document
 * (site/src/api-types.ts, `npm run api:types`): request bodies by operationId and named schemas.
 * Requests the site builds are typed with these, so a change of the API's zod schemas that the
 * site does not follow fails the type check.
 */
import type { components, operations } from './api-types.ts';

/** The JSON body an operation accepts. */
export type RequestBody<Op extends keyof operations> = operations[Op] extends {
  requestBody: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;

/** A named schema of the document (`components.schemas`). */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];
