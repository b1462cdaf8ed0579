/**
 * The project's root directory. This file sits one level below it both as source (src/) and
 * bundled (dist/main.js), so files shipped beside the code resolve the same way in both.
 */
export const projectRoot = new URL('../', import.meta.url);
