import { run } from './cli/restore.ts';

await run();
