import { run } from './cli/upload.ts';

await run();
