import { z } from 'zod';

export type FetchFunction = typeof fetch;

const discoverySchema = z.object({
  issuer: z.string(),
  jwks_uri: z.string().url(),
  id_token_signing_alg_values_supported: z.array(z.string()).default([]),
});

export type DiscoveryDocument = { jwksUri: URL; signingAlgorithms: string[] };

/** Why the provider could not be used: the caller reports it as the provider being unavailable. */
export class ProviderUnavailable extends Error {
  override name = 'ProviderUnavailable';
}

const discoveryUrl = (issuer: string) => `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;

/** Fetches and checks the issuer's OpenID Connect discovery document. */
export async function fetchDiscovery(issuer: string, fetchImpl: FetchFunction): Promise<DiscoveryDocument> {
  let body: unknown;
  try {
    const response = await fetchImpl(discoveryUrl(issuer), {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(5000),
    });
    if (response.status !== 200) throw new ProviderUnavailable(`discovery answered ${response.status}`);
    body = await response.json();
  } catch (error) {
    if (error instanceof ProviderUnavailable) throw error;
    throw new ProviderUnavailable('discovery fetch failed');
  }
  const parsed = discoverySchema.safeParse(body);
  if (!parsed.success) throw new ProviderUnavailable('discovery document is malformed');
  const document = parsed.data;
  // OpenID Connect Discovery 1.0 §4.3: the document must name the issuer it was fetched for.
  if (document.issuer !== issuer) throw new ProviderUnavailable('discovery document names another issuer');
  const jwksUri = new URL(document.jwks_uri);
  if (new URL(issuer).protocol === 'https:' && jwksUri.protocol !== 'https:') {
    throw new ProviderUnavailable('jwks_uri is not https');
  }
  return { jwksUri, signingAlgorithms: document.id_token_signing_alg_values_supported };
}
