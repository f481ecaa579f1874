/** An action's metadata file (action.yml) as the docs tests read it. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ActionMetadata {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

export function readActionMetadata(file: string): ActionMetadata {
  return parse(readFileSync(file, 'utf8')) as ActionMetadata;
}
