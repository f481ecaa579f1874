/**
 * The token endpoint's refusals (RFC 6749 `{error, error_description}` bodies): refreshing an access
 * token in a run, or exchanging an access code in the authorize helper.
 */
import type { Explanation } from '../../model.ts';
import { isRecord } from '../error-body.ts';
import { clip, redactSecrets, safeIdentifier } from '../redact.ts';
import { titles } from './titles.ts';
import { APP_CONSOLE, credentials, README_CREDENTIALS } from './words.ts';

/** The token endpoint answers in the RFC 6749 shape `{error: "code[: detail]", error_description?}`. */
export function oauthError(body: unknown): { code: string; description?: string } | undefined {
  if (!isRecord(body) || typeof body.error !== 'string') return undefined;
  const code = body.error.split(':')[0]?.trim() ?? '';
  const description = typeof body.error_description === 'string' ? body.error_description : undefined;
  return description === undefined ? { code } : { code, description };
}

export function explainTokenEndpoint(
  oauth: { code: string; description?: string },
  status: number,
): Explanation {
  const detail = oauth.description === undefined ? '' : `: ${clip(redactSecrets(oauth.description), 120)}`;
  if (oauth.code === 'invalid_grant') {
    return credentials(
      titles.refreshTokenRejected,
      `Dropbox rejected the refresh token (invalid_grant${detail}). It was revoked (the app was disconnected ` +
        'from the account, by the user or a team admin), was copied wrongly, or belongs to a different app ' +
        'than "app-key". Run the authorization flow again with this app\'s key to get a new refresh token, ' +
        `and update the "refresh-token" secret. ${README_CREDENTIALS}`,
    );
  }
  if (oauth.code === 'invalid_client') {
    return credentials(
      titles.appKeyOrSecretRejected,
      "Dropbox rejected the app key or app secret (invalid_client). Copy both again from the app's " +
        `Settings tab in ${APP_CONSOLE} and update the "app-key" and "app-secret" secrets; they must ` +
        'belong to the app the refresh token was issued to. If the refresh token came from a PKCE flow, ' +
        `leave "app-secret" empty. ${README_CREDENTIALS}`,
    );
  }
  return credentials(
    titles.tokenRequestFailed,
    `Dropbox refused to exchange the refresh token for an access token (HTTP ${status}, ` +
      `${safeIdentifier(oauth.code) ?? 'unknown error'}${detail}). Check "refresh-token", "app-key" and ` +
      '"app-secret"; if they are right, run the authorization flow again to get a new refresh token. ' +
      README_CREDENTIALS,
  );
}

/** The token endpoint's answer to an access-code exchange (`npm run authorize`). */
export function explainCodeExchange(
  oauth: { code: string; description?: string },
  status: number,
): Explanation {
  const detail = oauth.description === undefined ? '' : `: ${clip(redactSecrets(oauth.description), 120)}`;
  const again =
    'Open the authorize URL again (run "npm run authorize" again for a fresh one), click Allow, and paste ' +
    'the new code straight away, whole.';
  if (oauth.code === 'invalid_grant' && /already (been )?used/i.test(oauth.description ?? '')) {
    return credentials(
      titles.accessCodeUsed,
      `Dropbox says this access code was already used (invalid_grant${detail}). An access code can be ` +
        `exchanged only once. ${again}`,
    );
  }
  if (oauth.code === 'invalid_grant' && /expired|exist|not found/i.test(oauth.description ?? '')) {
    return credentials(
      titles.accessCodeExpired,
      `Dropbox did not accept the access code (invalid_grant${detail}). Codes expire a few minutes after ` +
        'Dropbox shows them, work only once, and only with the app key they were made for. ' +
        again,
    );
  }
  if (oauth.code === 'invalid_client') {
    return credentials(
      titles.appKeyOrSecretRejected,
      'Dropbox rejected the app key or app secret you entered (invalid_client). Copy both again from the ' +
        `app's Settings tab in ${APP_CONSOLE} (the secret appears after "Show"). To use PKCE instead of the ` +
        'secret, leave the secret empty.',
    );
  }
  return credentials(
    titles.tokenRequestFailed,
    `Dropbox refused to exchange the access code for tokens (HTTP ${status}, ` +
      `${safeIdentifier(oauth.code) ?? 'unknown error'}${detail}). ${again}`,
  );
}
