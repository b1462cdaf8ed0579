import type { DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const remembered = 500;

/**
 * Documents yoga has parsed and validated (armor's limits and the introspection rule
 * included), keyed by their text, so that the same text sent again can run without
 * yoga's per-request pipeline (see fast-path.ts). Only yoga decides what is valid:
 * a text gets here once yoga has accepted it. At most 500, the oldest forgotten first.
 */
export class KnownDocuments {
  readonly #documents = new Map<string, DocumentNode>();

  get(query: string): DocumentNode | undefined {
    return this.#documents.get(query);
  }

  /** Remembers every document that passes yoga's validation. */
  plugin(): Plugin<{ params?: { query?: unknown } }> {
    return {
      onValidate: ({ params: { documentAST }, context }) => ({ valid }) => {
        const query = context.params?.query;
        if (!valid || typeof query !== 'string' || this.#documents.has(query)) return;
        if (this.#documents.size >= remembered) this.#documents.delete(this.#documents.keys().next().value!);
        this.#documents.set(query, documentAST);
      },
    };
  }
}
