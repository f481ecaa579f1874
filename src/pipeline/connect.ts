/**
 * A run's connection to Dropbox: the token source (every token it mints masked by the host) and the client
 * in the namespace `namespace` names (team looks the team space up first), with the run's retry settings.
 */
import { TokenSource } from '../dropbox/credentials.ts';
import { connectToNamespace, type Connection, type NamespaceSettings } from '../dropbox/namespace.ts';
import type { Annotation, Credentials } from '../model.ts';
import type { RunHost } from '../report/host.ts';

export interface ConnectionSettings extends NamespaceSettings {
  credentials: Credentials;
  maxAttempts: number;
  requestTimeoutSeconds: number;
}

export async function connect(
  host: RunHost,
  settings: ConnectionSettings,
  signal: AbortSignal,
): Promise<Connection> {
  const tokens = new TokenSource(settings.credentials, { mask: (secret) => host.setSecret(secret) });
  const connection = await connectToNamespace(tokens, settings, {
    maxAttempts: settings.maxAttempts,
    requestTimeoutMs: settings.requestTimeoutSeconds * 1000,
    signal,
    onRetry: (line) => host.info(line),
  });
  if ('api' in connection && connection.pathRoot.line !== undefined) host.info(connection.pathRoot.line);
  return connection;
}

/** What the credentials given say before any request: both kinds given means the access token is ignored. */
export function credentialNotices(credentials: Credentials): Annotation[] {
  if (credentials.kind !== 'refresh-token' || !credentials.accessTokenIgnored) return [];
  return [
    {
      level: 'notice',
      title: 'access-token ignored',
      message:
        'Both access-token and refresh-token were given: using the refresh token; access-token is ignored.',
    },
  ];
}
