/**
 * `npm start`: runs the bundled action on a sample folder, as a workflow step would.
 *
 * Without credentials in the environment it starts the embedded fake Dropbox and uploads there.
 * With DROPBOX_REFRESH_TOKEN + DROPBOX_APP_KEY (+ DROPBOX_APP_SECRET), or DROPBOX_ACCESS_TOKEN,
 * it uploads to real Dropbox, into DROPBOX_DESTINATION (default /dropbox-upload-action-demo).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeDropbox } from '../fake-dropbox/index.ts';
import { runAction } from './action-runner.ts';

async function makeSampleFolder(): Promise<string> {
  const workspace = await mkdtemp(path.join(tmpdir(), 'dropbox-upload-demo-'));
  const files: Record<string, string | Buffer> = {
    'site/index.html': '<!doctype html><title>demo</title><h1>Hello from a build</h1>\n',
    'site/assets/app.js': 'console.log("hello");\n',
    'site/assets/app.js.map': '{"version":3}\n',
    'site/docs/résumé 2026 – final.txt': 'Unicode and spaces survive the trip.\n',
    'site/docs/日本語/メモ.txt': 'nested unicode folders\n',
    'site/empty.txt': '',
    'site/.env': 'HIDDEN=1\n',
    // Bigger than the 4 MiB chunk used below, so it goes through an upload session.
    'site/archive/backup.bin': randomBytes(10 * 1024 * 1024 + 12345),
  };
  for (const [relative, content] of Object.entries(files)) {
    const target = path.join(workspace, relative);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  return workspace;
}

function realCredentials(): Record<string, string> | undefined {
  const env = process.env;
  if (env['DROPBOX_REFRESH_TOKEN'] && env['DROPBOX_APP_KEY']) {
    return {
      'refresh-token': env['DROPBOX_REFRESH_TOKEN'],
      'app-key': env['DROPBOX_APP_KEY'],
      'app-secret': env['DROPBOX_APP_SECRET'] ?? '',
    };
  }
  if (env['DROPBOX_ACCESS_TOKEN']) return { 'access-token': env['DROPBOX_ACCESS_TOKEN'] };
  return undefined;
}

async function main(): Promise<void> {
  const workspace = await makeSampleFolder();
  const real = realCredentials();
  const inputs: Record<string, string> = {
    path: 'site/**\n!site/**/*.map',
    'chunk-size': '4',
  };
  let server: FakeDropbox | undefined;
  if (real) {
    Object.assign(inputs, real, {
      destination: process.env['DROPBOX_DESTINATION'] || '/dropbox-upload-action-demo',
    });
    console.log(`Uploading a sample folder to REAL Dropbox, folder ${inputs['destination']}\n`);
  } else {
    server = await FakeDropbox.start();
    server.registerApp({ key: 'demo-app-key', secret: 'demo-app-secret' });
    Object.assign(inputs, {
      destination: '/builds/demo',
      'refresh-token': server.issueRefreshToken({ appKey: 'demo-app-key' }),
      'app-key': 'demo-app-key',
      'app-secret': 'demo-app-secret',
    });
    console.log(
      `No DROPBOX_* credentials in the environment: using the embedded fake Dropbox at ${server.url}\n`,
    );
  }
  try {
    const run = await runAction({ inputs, workspace, fakeDropboxUrl: server?.url, echo: true });
    console.log('\n=== Outputs ===');
    for (const [name, value] of Object.entries(run.outputs)) {
      console.log(`${name}: ${name === 'files' ? JSON.stringify(JSON.parse(value), null, 2) : value}`);
    }
    console.log('\n=== Job summary (GITHUB_STEP_SUMMARY) ===');
    console.log(run.summary);
    if (server) {
      console.log('=== What the fake Dropbox now holds ===');
      for (const file of server.files())
        console.log(`${file.contentHash}  ${String(file.size).padStart(10)}  ${file.path}`);
      console.log(`\n${server.requests.length} requests; the action exited with code ${run.exitCode}.`);
    }
    process.exitCode = run.exitCode ?? 1;
  } finally {
    await server?.close();
    await rm(workspace, { recursive: true, force: true });
  }
}

await main();
