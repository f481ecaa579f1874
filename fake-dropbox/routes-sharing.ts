import type { Args } from './args.ts';
import type { HandlerContext, RouteSpec } from './context.ts';
import { ok, routeError, type Json, type JsonObject } from './errors.ts';
import type { Entry } from './metadata.ts';
import { sharedLinkMetadata } from './shared-links.ts';

const AUDIENCES = ['public', 'team', 'no_one', 'password', 'members', 'other'];

function entryAt(ctx: HandlerContext, path: string): Entry {
  const found = ctx.store.lookup(path);
  if (!found.ok) throw routeError({ '.tag': 'path', path: found.error });
  return found.value;
}

/** SharedLinkSettings: only what the fake checks; unknown audiences are a settings_error. */
function checkSettings(args: Args): void {
  if (!args.has('settings')) return;
  const settings = args.obj('settings');
  const audience = settings.optUnion('audience');
  if (audience !== undefined && !AUDIENCES.includes(audience.tag)) {
    throw routeError({ '.tag': 'settings_error', settings_error: { '.tag': 'invalid_settings' } });
  }
}

export const sharingRoutes: Record<string, RouteSpec> = {
  'sharing/create_shared_link_with_settings': {
    style: 'rpc',
    scope: 'sharing.write',
    handle: (ctx, args) => {
      const entry = entryAt(ctx, args!.str('path'));
      checkSettings(args!);
      const links = ctx.state.sharedLinks;
      const existing = links.urlOf(entry.id);
      if (existing !== undefined) {
        const error: JsonObject =
          links.conflictForm === 'bare'
            ? { '.tag': 'shared_link_already_exists' }
            : {
                '.tag': 'shared_link_already_exists',
                shared_link_already_exists: {
                  '.tag': 'metadata',
                  metadata: sharedLinkMetadata(entry, existing),
                },
              };
        throw routeError(error);
      }
      return ok(sharedLinkMetadata(entry, links.create(entry)));
    },
  },

  'sharing/list_shared_links': {
    style: 'rpc',
    scope: 'sharing.read',
    handle: (ctx, args) => {
      const path = args!.optStr('path');
      const links = ctx.state.sharedLinks;
      let found: Json[];
      if (path !== undefined) {
        const entry = entryAt(ctx, path);
        const url = links.urlOf(entry.id);
        found = url === undefined ? [] : [sharedLinkMetadata(entry, url)];
      } else {
        found = [];
        for (const id of links.entryIds()) {
          const lookup = ctx.store.lookup(id);
          const url = links.urlOf(id);
          if (lookup.ok && url !== undefined) found.push(sharedLinkMetadata(lookup.value, url));
        }
      }
      return ok({ links: found, has_more: false });
    },
  },
};
