import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { Config } from '../config.js';

/**
 * Limits every document before it runs: depth, aliases, cost, tokens and
 * directives (GraphQL Armor 3.2.0, which carries the 2025 max-depth fragment
 * fixes). Where introspection is allowed, its queries are exempt from the depth
 * limit: the standard one is 15 deep, and schema tools (GraphQL Code Generator,
 * GraphiQL, Apollo Sandbox, Postman) send it as is; the token limit still bounds
 * them. Field suggestions ("Did you mean ...?") are hidden whenever
 * introspection is off, so the schema cannot be guessed field by field.
 */
export function graphqlProtections(config: Config) {
  const { introspection, maxDepth, maxAliases, maxCost, maxTokens, maxDirectives } = config.graphql;
  const armor = new EnvelopArmor({
    maxDepth: { n: maxDepth, ignoreIntrospection: introspection, flattenFragments: true },
    maxAliases: { n: maxAliases },
    costLimit: { maxCost },
    maxTokens: { n: maxTokens },
    maxDirectives: { n: maxDirectives },
    blockFieldSuggestion: { enabled: !introspection },
  });
  const { plugins } = armor.protect();
  return introspection ? plugins : [...plugins, useDisableIntrospection() as (typeof plugins)[number]];
}
