import type { ObjectRef } from '@pothos/core';
import type { Page } from '../pagination.js';
import { builder } from './builder.js';

const PageInfo = builder.objectRef<Page<unknown>>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    endCursor: t.string({ nullable: true, description: 'Pass as `after` for the next page.', resolve: (page) => page.cursors.at(-1) ?? null }),
  }),
});

/** `<Name>Connection { edges { cursor node } nodes pageInfo }` over a keyset page, newest first. */
export function connectionOf<Node>(name: string, nodeRef: ObjectRef<any, Node>): ObjectRef<any, Page<Node>> {
  // Pothos cannot check a resolver's result against a type parameter; the signature above keeps callers typed.
  const node: ObjectRef<any, unknown> = nodeRef;
  const Edge = builder.objectRef<{ cursor: string; node: unknown }>(`${name}Edge`).implement({
    fields: (t) => ({
      cursor: t.exposeString('cursor'),
      node: t.field({ type: node, resolve: (edge) => edge.node }),
    }),
  });
  const Connection = builder.objectRef<Page<unknown>>(`${name}Connection`).implement({
    fields: (t) => ({
      edges: t.field({
        type: [Edge],
        resolve: (page) => page.nodes.map((row, index) => ({ cursor: page.cursors[index]!, node: row })),
      }),
      nodes: t.field({ type: [node], resolve: (page) => page.nodes }),
      pageInfo: t.field({ type: PageInfo, resolve: (page) => page }),
    }),
  });
  return Connection as ObjectRef<any, Page<Node>>;
}
