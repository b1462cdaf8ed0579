import type { Config } from '../config.js';
import { signingAlgorithm } from '../crypto/signing-keys.js';

/**
 * What a product's JWT middleware reads to find the keys by the issuer alone
 * (OpenID Connect Discovery's fields that apply to an access-token issuer).
 */
export function discoveryDocument(config: Config) {
  return {
    issuer: config.jwt.issuer,
    jwks_uri: `${config.publicUrl}/.well-known/jwks.json`,
    token_endpoint: `${config.publicUrl}/oauth/token`,
    grant_types_supported: ['urn:ietf:params:oauth:grant-type:token-exchange'],
    response_types_supported: ['token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [signingAlgorithm],
    token_endpoint_auth_methods_supported: ['none'],
    claims_supported: [...new Set(['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'sid', 'amr', 'aal', 'key_id', 'owner_type', 'environment', ...config.jwt.claims])],
  };
}
