import type { Plugin } from 'graphql-yoga';
import { containsNulCharacter, nulCharacterRefused } from '../validation.js';

/** Refuses a document or variables holding a NUL character before anything runs. */
export function useNulGuard(): Plugin {
  return {
    onParams({ params }) {
      if (containsNulCharacter(params.query) || containsNulCharacter(params.variables)) throw nulCharacterRefused();
    },
  };
}
