/** The programs' version: package.json's, bundled in, so --version needs no file beside the bundle. */
import packageJson from '../../package.json' with { type: 'json' };

export const version: string = packageJson.version;
