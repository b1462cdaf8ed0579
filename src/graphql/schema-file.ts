import type { Hono } from 'hono';
import type { Config } from '../config.js';
import type { RestEnv } from '../rest/api.js';
import { printedSchema } from '../schema/index.js';

export const schemaFilePath = '/graphql/schema.graphql';

/** The schema as SDL, for tools that read a file rather than introspect; only where introspection is allowed. */
export function mountSchemaFile(http: Hono<RestEnv>, config: Config): void {
  if (!config.graphql.introspection) return;
  let sdl: string | undefined;
  http.get(schemaFilePath, (c) => {
    sdl ??= printedSchema();
    c.header('Content-Type', 'text/plain; charset=utf-8');
    return c.body(sdl);
  });
}
