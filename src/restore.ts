import { run } from './action/restore.ts';

await run();
