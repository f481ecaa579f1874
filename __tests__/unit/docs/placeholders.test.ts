/**
 * Nothing a user reads or runs still says "fill me in": no `OWNER/REPO`, `YOUR_ORG`, `<owner>`, TODO,
 * example.com and the like in the docs, action metadata, examples, workflows, src/ or scripts/; and every
 * `uses:` of this action in the README and examples names the published repository at the current major.
 * (dist/ is built from src/, and check-dist proves it current, so src/ stands for it here.)
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { stepLines } from '../../../src/authorize/summary.ts';
import { majorVersionTag, repository } from '../../../src/report/project.ts';
import { readme } from '../../support/readme.ts';

/** The files that say who the project is: any example domain in them stands for a missing contact or page. */
function isIdentityFile(file: string): boolean {
  const identity = [
    'SECURITY.md',
    'CONTRIBUTING.md',
    'CHANGELOG.md',
    'LICENSE',
    'package.json',
    'action.yml',
  ];
  return identity.includes(path.basename(file)) || file.startsWith(`.github${path.sep}`);
}

/**
 * What a placeholder looks like, and where. Each pattern leaves real text alone (see the table below): the
 * action's own `{owner}`/`{repo}` placeholders, `<app name>` and `<refresh token>` (values only the user has),
 * and example domains where they illustrate a rule (a NO_PROXY entry, a proxy host) rather than stand for
 * the project's address.
 */
const PLACEHOLDERS: readonly { name: string; pattern: RegExp; appliesTo: (file: string) => boolean }[] = [
  { name: 'OWNER or REPO in capitals', pattern: /\b(?:OWNER|REPO)\b/, appliesTo: () => true },
  {
    name: 'an angle-bracket owner or repository',
    pattern: /<(?:owner|org|organi[sz]ation|repo|repository|user(?:name)?)>/i,
    appliesTo: () => true,
  },
  {
    name: 'a YOUR_ name',
    pattern:
      /\bYOUR_[A-Z_]+\b|\byour-(?:org|organi[sz]ation|name|user(?:name)?|repo(?:sitory)?|account|company|token)\b|<your[^>]*>/i,
    appliesTo: () => true,
  },
  {
    name: 'a replace-me marker',
    pattern: /\b(?:CHANGE_?ME|REPLACE_?ME|INSERT_HERE)\b|lorem ipsum/i,
    appliesTo: () => true,
  },
  {
    // TODO(inert) marks outside text printed before the lead's escaping function lands: tracked work.
    name: 'a TODO, FIXME, XXX or TBD',
    pattern: /\b(?:FIXME|XXX|TBD)\b|\bTODO\b(?!\(inert\))/,
    appliesTo: () => true,
  },
  {
    name: 'an example domain',
    pattern: /\bexample\.(?:com|org|net)\b/i,
    appliesTo: isIdentityFile,
  },
  {
    name: 'an example address or home page',
    pattern: /[\w.+-]@example\.(?:com|org|net)\b|https?:\/\/(?:www\.)?example\.(?:com|org|net)\b/i,
    appliesTo: (file) => !file.startsWith(`src${path.sep}`) && !file.startsWith(`scripts${path.sep}`),
  },
];

/** Each placeholder found in a file's text, as `line N: <name>: <the line>`. */
function placeholdersIn(text: string, file: string): string[] {
  const patterns = PLACEHOLDERS.filter((placeholder) => placeholder.appliesTo(file));
  const found: string[] = [];
  text.split('\n').forEach((line, index) => {
    for (const { name, pattern } of patterns)
      if (pattern.test(line)) found.push(`line ${index + 1}: ${name}: ${line.trim()}`);
  });
  return found;
}

/** Every file below a folder, skipping binary ones (a NUL byte); a missing folder has none. */
function filesBelow(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(folder, name))
    .filter((file) => statSync(file).isFile() && !readFileSync(file).includes(0))
    .sort();
}

const SCANNED = [
  ...[
    'README.md',
    'CONTRIBUTING.md',
    'SECURITY.md',
    'CHANGELOG.md',
    'LICENSE',
    'package.json',
    'action.yml',
    path.join('restore', 'action.yml'),
  ].filter((file) => existsSync(file)),
  ...['examples', '.github', 'src', 'scripts'].flatMap(filesBelow),
];

describe('the placeholder patterns', () => {
  const readmeFile = 'README.md';
  const srcFile = path.join('src', 'dropbox', 'proxy.ts');
  const securityFile = 'SECURITY.md';

  test.each([
    [readmeFile, '- uses: OWNER/REPO@v1'],
    [readmeFile, 'uses: YOUR_ORG/dropbox-action@v1'],
    [readmeFile, 'uses: <owner>/<repo>@v1'],
    [readmeFile, 'git clone https://github.com/your-org/dropbox-action'],
    [readmeFile, 'Replace <your token> here'],
    [srcFile, '// TODO: wire this up'],
    [srcFile, "  '  - uses: OWNER/REPO@v1',"],
    [srcFile, '# FIXME later'],
    [readmeFile, 'Release date: TBD'],
    [readmeFile, 'Questions to help@example.com'],
    [readmeFile, 'Docs: https://example.com/dropbox-action'],
    [securityFile, 'Report to the security team at security.example.org'],
    [readmeFile, 'destination: CHANGEME'],
  ])('%s: %j is a placeholder', (file, line) => {
    expect(placeholdersIn(line, file)).toHaveLength(1);
  });

  test.each([
    [readmeFile, 'destination: /backups/{owner}/{repo}/{datetime}'],
    [readmeFile, 'the app sees only /Apps/<app name> in your Dropbox'],
    [readmeFile, "gh secret set DROPBOX_REFRESH_TOKEN --body '<refresh token>'"],
    [readmeFile, '-u <APP KEY>:<APP SECRET>'],
    [readmeFile, "| `{owner}` | `acme` | The repository's owner. |"],
    [readmeFile, 'HTTPS_PROXY=http://user:secret@proxy.example.com:3128 NO_PROXY=.example.com'],
    [readmeFile, 'Releases are tagged `vX.Y.Z`, in a `## [X.Y.Z] - YYYY-MM-DD` section'],
    [readmeFile, 'Upload build outputs and backups to Dropbox: your repository, your files.'],
    [srcFile, 'needs GITHUB_REPOSITORY, which is not set'],
    [srcFile, 'as the SDKs write Dropbox-API-Arg: non-ASCII as \\uXXXX escapes'],
    [srcFile, '// TODO(inert): print the name through the escaping function'],
    [srcFile, ' * subdomain of it (`example.com` and `.example.com` both match `api.example.com`)'],
    [srcFile, "  email: 'ada@example.com',"],
    [srcFile, '/** The GitHub repository, `owner/name`. */'],
  ])('%s: %j is real text', (file, line) => {
    expect(placeholdersIn(line, file)).toEqual([]);
  });
});

describe('no placeholder is left', () => {
  test('the scan covers the docs, the action, the examples, the workflows, src/ and scripts/', () => {
    for (const file of [
      'README.md',
      'CHANGELOG.md',
      'action.yml',
      path.join('.github', 'workflows', 'release.yml'),
    ])
      expect(SCANNED).toContain(file);
    for (const folder of ['examples', 'src', 'scripts'])
      expect([folder, SCANNED.some((file) => file.startsWith(`${folder}${path.sep}`))]).toEqual([
        folder,
        true,
      ]);
  });

  test.each(SCANNED)('%s', (file) => {
    expect(placeholdersIn(readFileSync(file, 'utf8'), file)).toEqual([]);
  });
});

describe('uses: names the published action', () => {
  /** The `uses:` values of a text, wherever they are (YAML blocks, inline code). */
  function usesIn(text: string): string[] {
    return [...text.matchAll(/\buses:\s*['"]?([^\s'"`#]+)/g)].map((match) => match[1] ?? '');
  }

  /** Ours must be the repository at the current major: the moving tag, or one of its releases. */
  const OURS = new RegExp(
    `^${repository.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:/[\\w.-]+)*@${majorVersionTag}(?:\\.\\d+\\.\\d+)?$`,
  );

  /** Every `uses:` that is not one of GitHub's own actions (actions/checkout…) is taken to mean this action. */
  function actionUsesIn(text: string): string[] {
    return usesIn(text).filter((uses) => !uses.startsWith('actions/'));
  }

  const sources: [string, string][] = [
    ['README.md', readme],
    ...filesBelow('examples').map((file): [string, string] => [file, readFileSync(file, 'utf8')]),
  ];

  test.each(sources)('%s uses transferkit/dropbox-action@v1', (name, text) => {
    const found = actionUsesIn(text);
    expect([name, found.length > 0]).toEqual([name, true]);
    for (const uses of found) expect([name, uses]).toEqual([name, expect.stringMatching(OURS)]);
  });

  test('the pattern refuses placeholders, forks and other majors', () => {
    for (const uses of [
      'OWNER/REPO@v1',
      'someone/dropbox-action@v1',
      'transferkit/dropbox-action@main',
      'transferkit/dropbox-action@v0',
    ])
      expect([uses, OURS.test(uses)]).toEqual([uses, false]);
    for (const uses of [
      'transferkit/dropbox-action@v1',
      'transferkit/dropbox-action/restore@v1',
      'transferkit/dropbox-action@v1.2.3',
    ])
      expect([uses, OURS.test(uses)]).toEqual([uses, true]);
  });

  test("the authorize helper's printed step uses it too", () => {
    const printed = stepLines({ withSecret: true }).join('\n');
    expect(usesIn(printed)).toEqual(['transferkit/dropbox-action@v1']);
  });
});
