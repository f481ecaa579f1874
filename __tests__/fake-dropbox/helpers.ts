import { Dropbox, DropboxAuth, DropboxResponseError } from 'dropbox';
import { createRedirectFetch, FakeDropbox, type FakeDropboxOptions } from '../../fake-dropbox/index.ts';

export const APP = { key: 'test-app-key', secret: 'test-app-secret' };

export interface Harness {
  fake: FakeDropbox;
  token: string;
  /** The official SDK, its requests redirected to the fake. */
  dbx: Dropbox;
  fetch: typeof fetch;
}

export async function startFake(options: FakeDropboxOptions = {}): Promise<Harness> {
  const fake = await FakeDropbox.start(options);
  fake.registerApp(APP);
  const token = fake.issueAccessToken();
  const redirected = createRedirectFetch(fake.url);
  return { fake, token, dbx: new Dropbox({ accessToken: token, fetch: redirected }), fetch: redirected };
}

export function sdkAuth(
  fake: FakeDropbox,
  options: ConstructorParameters<typeof DropboxAuth>[0] = {},
): DropboxAuth {
  return new DropboxAuth({ ...options, fetch: createRedirectFetch(fake.url) });
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON when the body is JSON, else undefined. */
  json: unknown;
}

async function toRaw(response: Response): Promise<RawResponse> {
  const text = await response.text();
  let json: unknown;
  if (response.headers.get('content-type')?.startsWith('application/json')) json = JSON.parse(text);
  return { status: response.status, headers: response.headers, text, json };
}

/** A raw RPC call: JSON body (or none when `body` is undefined). */
export async function rpc(
  fake: FakeDropbox,
  route: string,
  body: unknown,
  token: string | undefined,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const init: RequestInit & { headers: Record<string, string> } = { method: 'POST', headers: { ...headers } };
  if (token !== undefined) init.headers['Authorization'] = `Bearer ${token}`;
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] ??= 'application/json';
  }
  return toRaw(await fetch(`${fake.url}/2/${route}`, init));
}

/** A raw content-upload call: argument in Dropbox-API-Arg, bytes as the body. */
export async function content(
  fake: FakeDropbox,
  route: string,
  arg: unknown,
  data: Uint8Array | string,
  token: string | undefined,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const allHeaders: Record<string, string> = {
    'Content-Type': 'application/octet-stream',
    'Dropbox-API-Arg': headerSafe(arg),
    ...headers,
  };
  if (token !== undefined) allHeaders['Authorization'] = `Bearer ${token}`;
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  return toRaw(await fetch(`${fake.url}/2/${route}`, { method: 'POST', headers: allHeaders, body }));
}

export async function tokenCall(
  fake: FakeDropbox,
  query: Record<string, string>,
  init: RequestInit = {},
): Promise<RawResponse> {
  const url = `${fake.url}/oauth2/token?${new URLSearchParams(query).toString()}`;
  return toRaw(await fetch(url, { method: 'POST', ...init }));
}

export function headerSafe(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Runs an SDK call expected to fail and returns the DropboxResponseError. */
export async function sdkError(call: Promise<unknown>): Promise<DropboxResponseError<unknown>> {
  try {
    await call;
  } catch (error) {
    if (error instanceof DropboxResponseError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** The `.error` member of a 409 envelope. */
export function errorOf(response: RawResponse): unknown {
  return (response.json as { error?: unknown } | undefined)?.error;
}

export function bytes(size: number, seed = 1): Buffer {
  const buffer = Buffer.alloc(size);
  let state = seed;
  for (let i = 0; i < size; i += 1) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    buffer[i] = state >>> 16;
  }
  return buffer;
}

export const MiB = 1024 * 1024;
export const BLOCK = 4 * MiB;
