/** What `user.created` tells a receiver that mirrors accounts: the profile, never a credential. */
export const userCreatedData = (
  user: { id: string; username: string; email: string; fullName: string | null; emailVerified: boolean; createdAt: Date },
  provider: 'password' | 'google' | 'email',
) => ({
  id: user.id,
  username: user.username,
  email: user.email,
  fullName: user.fullName,
  emailVerified: user.emailVerified,
  createdAt: user.createdAt.toISOString(),
  provider,
});

/** A key as api_key.* events show it: its name and display prefix, never its secret or hash. */
export const keyData = (key: { id: string; name: string; prefix: string; environment: string; userId: string | null; serviceAccountId: string | null; expiresAt: Date | null }) => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  environment: key.environment,
  ownerType: key.userId ? 'user' : 'service_account',
  ownerId: key.userId ?? key.serviceAccountId,
  expiresAt: key.expiresAt?.toISOString() ?? null,
});
