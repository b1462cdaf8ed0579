import { buildServer } from '../scripts/build.js';

/** Tests that start a real server start dist/main.js, as `npm start` does: built once per run. */
export default async function setup() {
  await buildServer();
}
