import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTVerifyGetKey, type RemoteJWKSet } from 'jose';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config } from '../config.js';
import { AppError, refusals } from '../errors.js';
import { fetchDiscovery, ProviderUnavailable, type DiscoveryDocument, type FetchFunction } from './discovery.js';

export type OidcIdentity = { subject: string; email: string; name: string | null };

export type OidcProvider = {
  /** The verified identity in an ID token, or an AppError saying why there is none. */
  verifyIdToken(credential: string, now: Date): Promise<OidcIdentity>;
};

/**
 * Asymmetric algorithms only: HS* would be keyed with the client id, which is
 * public, so anyone could mint tokens; `none` is no signature at all.
 */
const verifiableAlgorithms = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']);

const discoveryMaxAgeMs = 60 * 60 * 1000;
/** ID tokens are exchanged at once; Google's live an hour, so nothing older is accepted. */
const maxTokenAgeSeconds = 60 * 60;
const clockToleranceSeconds = 30;
const maxCredentialLength = 16 * 1024;

const emailSchema = z.string().email().max(254);

const invalidToken = () => new AppError(refusals.idTokenInvalid);

/** Google's ID tokens carry either form of its issuer (its "Verify the Google ID token" guide). */
export function acceptedIssuers(issuer: string): string[] {
  return new URL(issuer).host === 'accounts.google.com' ? [issuer, 'accounts.google.com'] : [issuer];
}

/** RS256 (which every OpenID provider must offer) plus what the provider lists that is safe to verify. */
export function allowedAlgorithms(discovery: DiscoveryDocument): string[] {
  return [...new Set(['RS256', ...discovery.signingAlgorithms.filter((algorithm) => verifiableAlgorithms.has(algorithm))])];
}

/** Null when no client id is configured: sign-in with the provider is then off. */
export function createOidcProvider(
  settings: Config['oidc'],
  options: { logger: Logger; fetch?: FetchFunction },
): OidcProvider | null {
  const { clientId, issuer } = settings;
  if (!clientId) return null;
  const fetchImpl: FetchFunction = options.fetch ?? ((input, init) => fetch(input, init));
  let discovery: { document: Promise<DiscoveryDocument>; fetchedAt: number } | undefined;
  let keySet: { uri: string; resolve: RemoteJWKSet } | undefined;

  function currentDiscovery(now: number): Promise<DiscoveryDocument> {
    if (!discovery || now - discovery.fetchedAt > discoveryMaxAgeMs) {
      const document = fetchDiscovery(issuer, fetchImpl);
      const entry = { document, fetchedAt: now };
      discovery = entry;
      document.catch(() => {
        if (discovery === entry) discovery = undefined;
      });
    }
    return discovery.document;
  }

  // jose caches the set and refetches it for an unknown kid, at most once per cooldown.
  function keyResolver(jwksUri: URL): JWTVerifyGetKey {
    if (keySet?.uri !== jwksUri.href) {
      keySet = {
        uri: jwksUri.href,
        resolve: createRemoteJWKSet(jwksUri, { cooldownDuration: settings.jwksCooldownSeconds * 1000, [customFetch]: fetchImpl }),
      };
    }
    const { resolve } = keySet;
    return async (header, token) => {
      try {
        return await resolve(header, token);
      } catch (error) {
        if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
        throw new ProviderUnavailable('the key set could not be fetched or read');
      }
    };
  }

  async function verifiedClaims(credential: string, now: Date) {
    try {
      const document = await currentDiscovery(now.getTime());
      const { payload } = await jwtVerify(credential, keyResolver(document.jwksUri), {
        algorithms: allowedAlgorithms(document),
        issuer: acceptedIssuers(issuer),
        audience: clientId,
        currentDate: now,
        maxTokenAge: maxTokenAgeSeconds,
        clockTolerance: clockToleranceSeconds,
        requiredClaims: ['exp', 'iat', 'sub'],
      });
      return payload;
    } catch (error) {
      if (error instanceof ProviderUnavailable) {
        options.logger.warn({ issuer, reason: error.message }, 'OpenID provider unavailable');
        throw new AppError(refusals.providerUnreachable);
      }
      if (error instanceof errors.JOSEError) {
        options.logger.info({ reason: error.code }, 'ID token refused');
        throw invalidToken();
      }
      throw error;
    }
  }

  return {
    async verifyIdToken(credential, now) {
      if (credential.length > maxCredentialLength) throw invalidToken();
      const claims = await verifiedClaims(credential, now);
      // OpenID Connect Core §3.1.3.7: with several audiences, azp names the client the token was issued to.
      if (Array.isArray(claims.aud) && claims.aud.length > 1 && claims.azp !== clientId) throw invalidToken();
      if (typeof claims.sub !== 'string' || claims.sub === '') throw invalidToken();
      const email = emailSchema.safeParse(claims.email);
      if (!email.success || claims.email_verified !== true) {
        throw new AppError(refusals.providerEmailUnverified);
      }
      return { subject: claims.sub, email: email.data, name: typeof claims.name === 'string' ? claims.name : null };
    },
  };
}
