import type { RouteSpec } from './context.ts';
import { ok, type JsonObject } from './errors.ts';
import { rootInfo } from './team.ts';

const ACCOUNT_INFO = 'account_info.read';

export const accountRoutes: Record<string, RouteSpec> = {
  'users/get_current_account': {
    style: 'rpc',
    scope: ACCOUNT_INFO,
    voidArg: true,
    handle: (ctx) => {
      const { tokens, namespaceId, team } = ctx.state;
      const account: JsonObject = {
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
        account_type: { '.tag': team === undefined ? 'basic' : 'business' },
        root_info: rootInfo(team, namespaceId),
      };
      if (team !== undefined) {
        account['name'] = {
          given_name: team.memberName.split(' ')[0] ?? team.memberName,
          surname: team.memberName.split(' ').slice(1).join(' '),
          familiar_name: team.memberName.split(' ')[0] ?? team.memberName,
          display_name: team.memberName,
          abbreviated_name: team.memberName
            .split(' ')
            .map((word) => word.charAt(0))
            .join(''),
        };
        account['team'] = { id: team.teamId, name: team.teamName };
        account['team_member_id'] = team.memberId;
      }
      return ok(account);
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
