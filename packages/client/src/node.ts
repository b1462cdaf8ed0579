// What only Node can do; the browser build leaves it out.
export { fileStorage } from './file-storage.js';
