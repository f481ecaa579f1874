/** Dropbox listing entries as listRemoteFolder returns them, for table tests of what is made of a listing. */
import type { RemoteEntry } from '../../src/dropbox/listing.ts';

/** A file at `pathDisplay`: 3 bytes, a hash named after its path, one rev, a fixed client_modified. */
export function remoteFile(pathDisplay: string, extra: Partial<RemoteEntry> = {}): RemoteEntry {
  return {
    kind: 'file',
    name: pathDisplay.slice(pathDisplay.lastIndexOf('/') + 1),
    pathLower: pathDisplay.toLowerCase(),
    pathDisplay,
    contentHash: `hash-of-${pathDisplay}`,
    size: extra.size ?? 3,
    rev: '0123456789a',
    clientModified: '2026-01-02T03:04:05Z',
    ...extra,
  };
}

export function remoteFolder(pathDisplay: string, extra: Partial<RemoteEntry> = {}): RemoteEntry {
  return {
    kind: 'folder',
    name: pathDisplay.slice(pathDisplay.lastIndexOf('/') + 1),
    pathLower: pathDisplay.toLowerCase(),
    pathDisplay,
    ...extra,
  };
}
