import { pathRootFor, type RootInfo } from '../../../src/dropbox/namespace.ts';
import type { NamespaceChoice } from '../../../src/model.ts';

const teamRoot: RootInfo = {
  '.tag': 'team',
  root_namespace_id: '3235641',
  home_namespace_id: '3235642',
  home_path: '/Ada Lovelace',
};
const personal: RootInfo = { '.tag': 'user', root_namespace_id: '777', home_namespace_id: '777' };

describe('pathRootFor', () => {
  test.each<[string, NamespaceChoice, RootInfo | undefined, string | undefined, RegExp | undefined]>([
    ['home sends no header', { kind: 'home' }, undefined, undefined, undefined],
    [
      'a namespace id is sent as namespace_id',
      { kind: 'id', id: '42' },
      undefined,
      '{".tag":"namespace_id","namespace_id":"42"}',
      /namespace 42/,
    ],
    [
      'team roots paths at the team space root',
      { kind: 'team' },
      teamRoot,
      '{".tag":"root","root":"3235641"}',
      /root of the team space \(namespace 3235641\).*Your own folder there is \/Ada Lovelace\./,
    ],
    [
      'team on a personal account is its own root',
      { kind: 'team' },
      personal,
      '{".tag":"root","root":"777"}',
      /root of this account's Dropbox \(namespace 777\)/,
    ],
  ])('%s', (_name, choice, rootInfo, header, line) => {
    const pathRoot = pathRootFor(choice, rootInfo);
    expect(pathRoot.header).toBe(header);
    if (line === undefined) expect(pathRoot.line).toBeUndefined();
    else expect(pathRoot.line).toMatch(line);
  });

  test('team on a personal account adds a notice; on a team space it does not', () => {
    expect(pathRootFor({ kind: 'team' }, personal).notice).toMatch(/has no team space/);
    expect(pathRootFor({ kind: 'team' }, teamRoot).notice).toBeUndefined();
  });

  test('team without root info is a programming error', () => {
    expect(() => pathRootFor({ kind: 'team' })).toThrow(/root info/);
  });
});
