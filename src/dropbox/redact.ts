/**
 * Text from outside (Dropbox, a library, a proxy) made safe to quote in a message: credentials removed,
 * length bounded, and only identifier-like values echoed where a value is named.
 */

/**
 * Removes what could be a credential from text Dropbox (or a library) wrote: URLs (the token URL carries
 * the refresh token and app secret), Authorization values, key=value secrets and long token-like runs.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\bhttps?:\/\/[^\s"'<>]+/gi, '(URL hidden)')
    .replace(/\b(Bearer|Basic)\s+[^\s"'<>]+/gi, '$1 (hidden)')
    .replace(
      /\b(access_token|refresh_token|client_secret|client_id|code_verifier|authorization)(\s*[=:]\s*)[^\s"'&,;]+/gi,
      '$1$2(hidden)',
    )
    .replace(/[A-Za-z0-9_\-.~+=]{20,}/g, (run) =>
      /[0-9]/.test(run) && /[A-Za-z]/.test(run) ? '(hidden)' : run,
    );
}

/** One line of at most `max` characters. */
export function clip(text: string, max: number): string {
  const single = text.replace(/\s+/g, ' ');
  return single.length <= max ? single : `${single.slice(0, max)}…`;
}

/** Only identifier-like values (scopes, tags) are echoed; anything else could be arbitrary text. */
export function safeIdentifier(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9_.]{1,64}$/.test(value) ? value : undefined;
}

/** An error of unknown kind, described without anything that could be a secret. */
export function describeUnknown(error: unknown): string {
  if (error instanceof Error) return clip(redactSecrets(`${error.name}: ${error.message}`), 200);
  if (typeof error === 'string') return clip(redactSecrets(error), 200);
  return 'an unknown error';
}

/** The step's failure for an error nothing explains: its words, without anything that could be a secret. */
export function unexpectedFailure(error: unknown): string {
  return `Unexpected failure: ${redactSecrets(error instanceof Error ? error.message : String(error))}`;
}
