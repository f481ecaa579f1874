/** The heap bound, in a process of its own: the young generation stops growing once it is set. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@jest/globals';

const heapModule = pathToFileURL(path.resolve('src/transfer/heap.ts')).href;
/** The restore's doors import it first: importing it sets the restore's bound. */
const restoreHeapModule = pathToFileURL(path.resolve('src/transfer/restore-heap.ts')).href;

/** How a run bounds its heap: the upload's way, the restore's (by importing restore-heap.ts), or not at all. */
type Bound = 'upload' | 'restore' | 'none';

/** The young generation's size after allocating as a busy run does, with or without a bound. */
function youngGenerationBytes(bound: Bound): number {
  const script = `
    import v8 from 'node:v8';
    import { boundHeapGrowth, fitHeapToFiles } from ${JSON.stringify(heapModule)};
    if (${JSON.stringify(bound)} === 'upload') {
      boundHeapGrowth();
      fitHeapToFiles(100);
    }
    if (${JSON.stringify(bound)} === 'restore') await import(${JSON.stringify(restoreHeapModule)});
    let inFlight = [];
    for (let i = 0; i < 1_500_000; i += 1) {
      inFlight.push({ i, name: 'request ' + i, parts: [i, i + 1] });
      if (inFlight.length > 4000) inFlight = inFlight.slice(2000);
    }
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    console.log(space.space_size);
  `;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return Number(output.trim());
}

test.each(['upload', 'restore'] as const)(
  "with the %s's bound the young generation keeps its first, small size; without it, it grows",
  (bound) => {
    const bounded = youngGenerationBytes(bound);
    const free = youngGenerationBytes('none');
    expect(bounded).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(free).toBeGreaterThan(bounded);
  },
);
