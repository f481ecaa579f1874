/** The upload action's front door: the runner's inputs and environment, the upload pipeline, the runner as host. */
// First: the heap's bound must be set before the rest of the bundle is loaded.
import '../transfer/upload-heap.ts';
import { installProxyFromEnvironment } from '../dropbox/proxy.ts';
import { readWorkflowContext } from '../inputs/workflow-context.ts';
import { runUpload } from '../pipeline/upload.ts';
import { ActionsHost } from './host.ts';
import { actionInput } from './inputs.ts';

export async function run(): Promise<void> {
  const host = new ActionsHost();
  // Before the first request: HTTPS_PROXY and NO_PROXY then apply to every one.
  const proxy = installProxyFromEnvironment();
  if (proxy !== undefined) host.info(proxy);
  await runUpload(host, {
    input: actionInput,
    workspace: process.env['GITHUB_WORKSPACE'] || process.cwd(),
    ...(process.env['RUNNER_TEMP'] ? { tempDir: process.env['RUNNER_TEMP'] } : {}),
    context: readWorkflowContext(),
  });
}
