import type { RouteSpec } from './context.ts';
import { accountRoutes } from './routes-account.ts';
import { fileRoutes } from './routes-files.ts';
import { sharingRoutes } from './routes-sharing.ts';
import { uploadRoutes } from './routes-upload.ts';

/** Every `/2/` route the fake serves, keyed by its wire name (`files/delete_v2`, not `files/delete:2`). */
export const ROUTES: ReadonlyMap<string, RouteSpec> = new Map(
  Object.entries({ ...uploadRoutes, ...fileRoutes, ...accountRoutes, ...sharingRoutes }),
);
