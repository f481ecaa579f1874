/**
 * Bounds the upload's heap (heap.ts) as this module is loaded. The upload's doors import it before
 * anything else, so that it runs before the rest of the bundle does: loading the bundle grows the young
 * generation, and a bound set after that does not shrink it (as bench R measured for the restore).
 */
import { boundHeapGrowth } from './heap.ts';

boundHeapGrowth();
