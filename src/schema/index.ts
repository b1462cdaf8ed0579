import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.js';
import './users.js';
import './sessions.js';

export const schema = builder.toSchema();

/** What schema.graphql holds: sorted, with a trailing newline. */
export const printedSchema = () => `${printSchema(lexicographicSortSchema(schema))}\n`;
