/** The run's destination: the `destination` input with its placeholders resolved for this run. */
import { normaliseDestination } from './destination.ts';
import { InputError } from './values.ts';
import { resolveTemplate, TemplateError, type WorkflowContext } from '../backups/placeholders.ts';

/**
 * The run's Dropbox folder: the template's placeholders resolved from one instant, so every file of the
 * run lands in the same folder, then checked like the input itself. Fails before any request.
 */
export function resolveRunDestination(template: string, now: Date, context: WorkflowContext): string {
  if (template === '') return '';
  try {
    return normaliseDestination(resolveTemplate(template, now, context));
  } catch (error) {
    if (error instanceof TemplateError) {
      throw new InputError(`Input "destination" is ${JSON.stringify(template)}; ${error.reason}`);
    }
    throw error;
  }
}
