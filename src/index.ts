import { run } from './action/upload.ts';

await run();
