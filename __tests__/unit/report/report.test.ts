import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatBytes, formatDuration, formatRate } from '../../../src/report/format.ts';
import type { Explanation, FileResult } from '../../../src/model.ts';
import {
  annotateFailure,
  annotateRunFailure,
  buildOutputs,
  buildSummaryMarkdown,
  escapeMarkdown,
  SUMMARY_ROW_LIMIT,
  totals,
  workspacePath,
  writeReport,
} from '../../../src/report/report.ts';

const MIB = 1024 * 1024;
const WORKSPACE = '/home/runner/work/repo/repo';
const HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const outOfSpace: Explanation = {
  title: 'Dropbox is out of space',
  message: 'Dropbox has no room for "/d/big.iso". Free up space.',
  scope: 'file',
};

function result(overrides: Partial<FileResult> & Pick<FileResult, 'localPath' | 'dropboxPath'>): FileResult {
  return { size: 0, contentHash: HASH, status: 'uploaded', bytesSent: 0, ...overrides };
}

const results: FileResult[] = [
  result({ localPath: `${WORKSPACE}/dist/app.js`, dropboxPath: '/d/app.js', size: 2048, bytesSent: 2048 }),
  result({
    localPath: `${WORKSPACE}/dist/résumé ü/файл 名.txt`,
    dropboxPath: '/d/résumé ü/файл 名.txt',
    size: 3 * MIB,
    bytesSent: 3 * MIB,
  }),
  result({
    localPath: `${WORKSPACE}/dist/a|b *c*.txt`,
    dropboxPath: '/d/a|b *c*.txt',
    size: 10,
    status: 'skipped',
    reason: 'already exists',
  }),
  result({
    localPath: `${WORKSPACE}/dist/big.iso`,
    dropboxPath: '/d/big.iso',
    size: 5 * MIB,
    status: 'failed',
    error: outOfSpace,
    bytesSent: MIB,
  }),
];

describe('formatting helpers', () => {
  test.each([
    [0, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [MIB, '1.0 MiB'],
    [1.25 * 1024 * MIB, '1.3 GiB'],
    [3 * 1024 * 1024 * MIB, '3.0 TiB'],
  ])('formatBytes(%d) = %j', (n, expected) => {
    expect(formatBytes(n)).toBe(expected);
  });

  test.each([
    [0, '0 ms'],
    [850, '850 ms'],
    [849.6, '850 ms'],
    [1000, '1.0 s'],
    [12_345, '12.3 s'],
    [65_000, '1 min 05 s'],
    [3_599_000, '59 min 59 s'],
    [3_600_000, '1 h 00 min'],
    [7_380_000, '2 h 03 min'],
    [-1, 'unknown'],
    [Number.POSITIVE_INFINITY, 'unknown'],
  ])('formatDuration(%d) = %j', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });

  test.each([
    [10 * MIB, 2000, '5.00 MiB/s'],
    [MIB, 4000, '0.25 MiB/s'],
    [0, 1000, '0.00 MiB/s'],
    [MIB, 0, 'n/a'],
  ])('formatRate(%d, %d) = %j', (bytes, ms, expected) => {
    expect(formatRate(bytes, ms)).toBe(expected);
  });

  test.each([
    [`${WORKSPACE}/dist/a.txt`, WORKSPACE, 'dist/a.txt'],
    ['/tmp/elsewhere/a.txt', WORKSPACE, '/tmp/elsewhere/a.txt'],
    [`${WORKSPACE}-other/a.txt`, WORKSPACE, `${WORKSPACE}-other/a.txt`],
    ['C:\\work\\repo\\dist\\a.txt', 'C:\\work\\repo', 'dist/a.txt'],
    ['D:\\tmp\\a.txt', 'C:\\work\\repo', 'D:/tmp/a.txt'],
  ])('workspacePath(%j, %j) = %j', (localPath, workspace, expected) => {
    const pathApi = localPath.includes('\\') ? path.win32 : path.posix;
    expect(workspacePath(localPath, workspace, pathApi)).toBe(expected);
  });

  test.each([
    ['a|b.txt', 'a\\|b.txt'],
    ['*bold* _it_ `code`', '\\*bold\\* \\_it\\_ \\`code\\`'],
    [
      '[link](x) <b> ~~s~~ $x$ @me #1 a&b',
      '\\[link\\]\\(x\\) \\<b\\> \\~\\~s\\~\\~ \\$x\\$ \\@me \\#1 a\\&b',
    ],
    ['back\\slash', 'back\\\\slash'],
    ['two\nlines', 'two lines'],
    ['résumé ü/файл 名.txt', 'résumé ü/файл 名.txt'],
  ])('escapeMarkdown(%j) = %j', (text, expected) => {
    expect(escapeMarkdown(text)).toBe(expected);
  });
});

describe('totals and outputs', () => {
  test('totals counts statuses and sums uploaded sizes only', () => {
    expect(totals(results, 1234)).toEqual({
      uploaded: 2,
      skipped: 1,
      failed: 1,
      uploadedBytes: 2048 + 3 * MIB,
      elapsedMs: 1234,
    });
  });

  test('buildOutputs', () => {
    const outputs = buildOutputs(results, '/d', WORKSPACE);
    expect(outputs).toMatchObject({
      'uploaded-count': '2',
      'skipped-count': '1',
      'failed-count': '1',
      'uploaded-bytes': String(2048 + 3 * MIB),
      destination: '/d',
    });
    expect(JSON.parse(outputs['files'] ?? '')).toEqual([
      { path: 'dist/app.js', dropboxPath: '/d/app.js', size: 2048, contentHash: HASH, status: 'uploaded' },
      {
        path: 'dist/résumé ü/файл 名.txt',
        dropboxPath: '/d/résumé ü/файл 名.txt',
        size: 3 * MIB,
        contentHash: HASH,
        status: 'uploaded',
      },
      {
        path: 'dist/a|b *c*.txt',
        dropboxPath: '/d/a|b *c*.txt',
        size: 10,
        contentHash: HASH,
        status: 'skipped',
      },
      {
        path: 'dist/big.iso',
        dropboxPath: '/d/big.iso',
        size: 5 * MIB,
        contentHash: HASH,
        status: 'failed',
        error: 'Dropbox is out of space: Dropbox has no room for "/d/big.iso". Free up space.',
      },
    ]);
  });

  test.each([
    ['', '/'],
    ['/', '/'],
    ['/a/b', '/a/b'],
  ])('destination output for %j is %j', (destination, expected) => {
    expect(buildOutputs([], destination, WORKSPACE)['destination']).toBe(expected);
  });

  test('no files: zero counts and an empty list', () => {
    expect(buildOutputs([], '/', WORKSPACE)).toEqual({
      'uploaded-count': '0',
      'skipped-count': '0',
      'failed-count': '0',
      'uploaded-bytes': '0',
      destination: '/',
      files: '[]',
      pruned: '[]',
    });
  });

  test('pruned: a JSON array of the deleted paths', () => {
    const pruned = ['/backups/site-2026-11-01T02-00-00Z', '/backups/site-2026-11-02T02-00-00Z'];
    expect(JSON.parse(buildOutputs([], '/backups', WORKSPACE, pruned)['pruned'] ?? '')).toEqual(pruned);
  });
});

describe('buildSummaryMarkdown: keep-last and dry run', () => {
  const options = {
    destination: '/backups/site-2026-11-23T10-15-00Z',
    elapsedMs: 1000,
    workspace: WORKSPACE,
  };

  test('the deleted folders are listed; nothing about keep-last when it is off', () => {
    const pruned = ['/backups/site-2026-11-01T02-00-00Z', '/backups/a_b'];
    const markdown = buildSummaryMarkdown(results, { ...options, pruned });
    expect(markdown).toContain(
      '**keep-last deleted:** 2 folder(s)\n\n- /backups/site-2026-11-01T02-00-00Z\n- /backups/a\\_b\n',
    );
    expect(buildSummaryMarkdown(results, { ...options, pruned: [] })).toContain(
      '**keep-last deleted:** nothing',
    );
    expect(buildSummaryMarkdown(results, options)).not.toContain('keep-last');
  });

  test('a dry run says the connection works, and what a real run would do', () => {
    const markdown = buildSummaryMarkdown(results, { ...options, pruned: ['/backups/old'], dryRun: true });
    expect(markdown).toContain(
      '## Dropbox upload (dry run)\n\nDestination: /backups/site-2026-11-23T10-15-00Z\n',
    );
    expect(markdown).toContain('**The connection works:** Dropbox accepted the credentials');
    expect(markdown).toContain('nothing was uploaded or deleted');
    expect(markdown).toContain('| 🔍 Would upload |');
    expect(markdown).toContain('| ⏭️ Would skip (already exists) |');
    expect(markdown).toContain('| ❌ Would fail: Dropbox is out of space |');
    expect(markdown).toContain('**Would upload:** 2 (3.0 MiB) · **Would skip:** 1 · **Would fail:** 1');
    expect(markdown).toContain('**keep-last would delete:** 1 folder(s)\n\n- /backups/old\n');
    expect(markdown).not.toMatch(/✅ Uploaded|\*\*Uploaded:\*\*/);
  });

  test('a real run does not claim to be a dry run', () => {
    expect(buildSummaryMarkdown(results, options)).not.toMatch(/dry run|Would/);
  });
});

describe('buildSummaryMarkdown', () => {
  const markdown = buildSummaryMarkdown(results, {
    destination: '/d',
    elapsedMs: 2000,
    workspace: WORKSPACE,
  });

  test('heading, destination and table header', () => {
    expect(markdown).toContain('## Dropbox upload\n\nDestination: /d\n');
    expect(markdown).toContain('| Local path | Dropbox path | Size | Status |\n| --- | --- | ---: | --- |');
  });

  test.each([
    [
      'failed rows first, with the error title',
      '| dist/big.iso | /d/big.iso | 5.0 MiB | ❌ Failed: Dropbox is out of space |',
    ],
    ['uploaded', '| dist/app.js | /d/app.js | 2.0 KiB | ✅ Uploaded |'],
    ['unicode kept', '| dist/résumé ü/файл 名.txt | /d/résumé ü/файл 名.txt | 3.0 MiB | ✅ Uploaded |'],
    [
      'pipes and markdown escaped, skip reason shown',
      '| dist/a\\|b \\*c\\*.txt | /d/a\\|b \\*c\\*.txt | 10 B | ⏭️ Skipped (already exists) |',
    ],
    ['totals', '**Uploaded:** 2 (3.0 MiB) · **Skipped:** 1 · **Failed:** 1'],
    ['elapsed and throughput', '**Elapsed:** 2.0 s · **Throughput:** 2.00 MiB/s (4.0 MiB sent)'],
  ])('%s', (_name, line) => {
    expect(markdown).toContain(line);
  });

  test('failed rows come before the others', () => {
    const rows = markdown.split('\n').filter((line) => line.startsWith('| dist/'));
    expect(rows[0]).toContain('big.iso');
    expect(rows).toHaveLength(4);
  });

  test('every table row has exactly four cells', () => {
    for (const line of markdown.split('\n').filter((l) => l.startsWith('|'))) {
      expect(line.split(/(?<!\\)\|/).length - 2).toBe(4);
    }
  });

  test(`more than ${SUMMARY_ROW_LIMIT} files: the first ${SUMMARY_ROW_LIMIT} rows and a note`, () => {
    const many = Array.from({ length: 1234 }, (_, i) =>
      result({ localPath: `${WORKSPACE}/f${i}.txt`, dropboxPath: `/d/f${i}.txt`, size: 1 }),
    );
    many.push(result({ localPath: `${WORKSPACE}/bad.txt`, dropboxPath: '/d/bad.txt', status: 'failed' }));
    const big = buildSummaryMarkdown(many, { destination: '/d', elapsedMs: 1, workspace: WORKSPACE });
    const rows = big.split('\n').filter((line) => /^\| (f\d+|bad)\.txt /.test(line));
    expect(rows).toHaveLength(SUMMARY_ROW_LIMIT);
    expect(rows[0]).toContain('bad.txt');
    expect(big).toContain(`_Showing the first 500 of 1235 files; the "files" output lists them all._`);
  });

  test('no files', () => {
    const empty = buildSummaryMarkdown([], { destination: '', elapsedMs: 0, workspace: WORKSPACE });
    expect(empty).toContain('Destination: /\n');
    expect(empty).toContain('No files were uploaded.');
    expect(empty).not.toContain('| Local path');
    expect(empty).toContain('**Throughput:** n/a');
  });
});

describe('writeReport and annotations (real GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files)', () => {
  let dir: string;
  let outputFile: string;
  let summaryFile: string;
  const saved = { output: process.env['GITHUB_OUTPUT'], summary: process.env['GITHUB_STEP_SUMMARY'] };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'report-test-'));
    outputFile = path.join(dir, 'output');
    summaryFile = path.join(dir, 'summary');
  });

  beforeEach(async () => {
    await writeFile(outputFile, '');
    await writeFile(summaryFile, '');
    process.env['GITHUB_OUTPUT'] = outputFile;
    process.env['GITHUB_STEP_SUMMARY'] = summaryFile;
  });

  afterAll(async () => {
    if (saved.output === undefined) delete process.env['GITHUB_OUTPUT'];
    else process.env['GITHUB_OUTPUT'] = saved.output;
    if (saved.summary === undefined) delete process.env['GITHUB_STEP_SUMMARY'];
    else process.env['GITHUB_STEP_SUMMARY'] = saved.summary;
    await rm(dir, { recursive: true, force: true });
  });

  /** Parses the `name<<delimiter … delimiter` blocks core writes to GITHUB_OUTPUT. */
  function parseOutputs(text: string): Record<string, string> {
    const outputs: Record<string, string> = {};
    const pattern = /^([^\n<]+)<<(ghadelimiter_[^\n]+)\n([\s\S]*?)\n\2$/gm;
    for (const match of text.matchAll(pattern)) outputs[match[1]!] = match[3]!;
    return outputs;
  }

  /** Runs `fn`, returning what it wrote to stdout (where workflow commands go). */
  async function stdoutOf(fn: () => unknown): Promise<string> {
    const original = process.stdout.write.bind(process.stdout);
    let captured = '';
    process.stdout.write = ((chunk: string | Uint8Array): boolean => {
      captured += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    }) as typeof process.stdout.write;
    try {
      await fn();
    } finally {
      process.stdout.write = original;
    }
    return captured;
  }

  test('sets every output and appends the summary', async () => {
    const returned = await writeReport(results, { destination: '/d', elapsedMs: 2000, workspace: WORKSPACE });
    expect(returned).toEqual(totals(results, 2000));

    const outputs = parseOutputs(await readFile(outputFile, 'utf8'));
    expect(outputs).toEqual(buildOutputs(results, '/d', WORKSPACE));
    expect(JSON.parse(outputs['files'] ?? '')[2].path).toBe('dist/a|b *c*.txt');

    const summary = await readFile(summaryFile, 'utf8');
    expect(summary).toContain(
      buildSummaryMarkdown(results, { destination: '/d', elapsedMs: 2000, workspace: WORKSPACE }),
    );
    expect(summary).toContain('| dist/a\\|b \\*c\\*.txt |');
    expect(summary).toContain('файл 名.txt');
  });

  test('without GITHUB_STEP_SUMMARY the summary is skipped and outputs are still set', async () => {
    delete process.env['GITHUB_STEP_SUMMARY'];
    await stdoutOf(() => writeReport([], { destination: '/', elapsedMs: 5, workspace: WORKSPACE }));
    expect(parseOutputs(await readFile(outputFile, 'utf8'))['uploaded-count']).toBe('0');
    expect(await readFile(summaryFile, 'utf8')).toBe('');
  });

  test('annotateFailure writes one error annotation naming both paths', async () => {
    const failed = results[3]!;
    const out = await stdoutOf(() => annotateFailure(failed, WORKSPACE));
    expect(out).toBe(
      '::error title=Dropbox is out of space::/d/big.iso (from dist/big.iso) was not uploaded. ' +
        'Dropbox has no room for "/d/big.iso". Free up space.\n',
    );
  });

  test('annotateFailure without a workspace uses the absolute path', async () => {
    const out = await stdoutOf(() => annotateFailure(results[3]!));
    expect(out).toContain(`(from ${WORKSPACE}/dist/big.iso)`);
  });

  test('annotateRunFailure writes one error annotation', async () => {
    const out = await stdoutOf(() =>
      annotateRunFailure({
        title: 'Dropbox access token expired',
        message: 'It expired.',
        scope: 'credentials',
      }),
    );
    expect(out).toBe('::error title=Dropbox access token expired::It expired.\n');
  });
});
