// The GraphQL ceiling: graphql-yoga with its defaults answering `{ hello }` on node:http.
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';

const yoga = createYoga({
  schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } }),
  logging: false,
  graphiql: false,
  landingPage: false,
});
// yoga is a node request listener; the cast only bridges its server-context generic.
createServer(yoga as unknown as Parameters<typeof createServer>[0] & object).listen(
  Number(process.env.PORT),
  process.env.HOST ?? '127.0.0.1',
);
