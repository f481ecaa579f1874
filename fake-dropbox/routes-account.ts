import type { RouteSpec } from './context.ts';
import { ok } from './errors.ts';

const ACCOUNT_INFO = 'account_info.read';

export const accountRoutes: Record<string, RouteSpec> = {
  'users/get_current_account': {
    style: 'rpc',
    scope: ACCOUNT_INFO,
    voidArg: true,
    handle: (ctx) => {
      const { tokens, namespaceId } = ctx.state;
      return ok({
        account_id: tokens.accountId,
        name: {
          given_name: 'Fake',
          surname: 'Dropbox',
          familiar_name: 'Fake',
          display_name: 'Fake Dropbox',
          abbreviated_name: 'FD',
        },
        email: 'fake-dropbox@example.com',
        email_verified: true,
        disabled: false,
        country: 'US',
        locale: 'en',
        referral_link: 'https://www.dropbox.com/referrals/AAfakedropbox',
        is_paired: false,
        account_type: { '.tag': 'basic' },
        root_info: {
          '.tag': 'user',
          root_namespace_id: namespaceId,
          home_namespace_id: namespaceId,
          home_path: '',
        },
      });
    },
  },

  'check/user': {
    style: 'rpc',
    scope: ACCOUNT_INFO,
    handle: (_ctx, args) => {
      const query = args!.optStr('query') ?? '';
      if (query.length > 500) throw args!.fail('query', 'at most 500 characters');
      return ok({ result: query });
    },
  },
};
