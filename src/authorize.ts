import { run } from './authorize/command.ts';

await run();
