import { badRequest, isObject } from './errors.ts';

/**
 * Typed access to a route's JSON argument. A wrong argument is a 400 plain-text error naming where the
 * argument came from ("request body", or the Dropbox-API-Arg header for content routes), as Dropbox does.
 */
export class Args {
  readonly route: string;
  readonly where: string;
  readonly #value: Record<string, unknown>;
  readonly #prefix: string;

  constructor(route: string, where: string, value: unknown, prefix = '') {
    this.route = route;
    this.where = where;
    this.#prefix = prefix;
    if (!isObject(value))
      throw this.#fail(prefix.replace(/\.$/, '') || undefined, `expected an object, got ${describe(value)}`);
    this.#value = value;
  }

  /** The argument object as sent, for logging. */
  get raw(): Record<string, unknown> {
    return this.#value;
  }

  has(name: string): boolean {
    return this.#value[name] !== undefined && this.#value[name] !== null;
  }

  str(name: string): string {
    const value = this.optStr(name);
    if (value === undefined) throw this.#missing(name);
    return value;
  }

  optStr(name: string): string | undefined {
    const value = this.#value[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string')
      throw this.#fail(this.#prefix + name, `expected a string, got ${describe(value)}`);
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.#value[name];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean')
      throw this.#fail(this.#prefix + name, `expected a boolean, got ${describe(value)}`);
    return value;
  }

  uint(name: string): number {
    const value = this.optUint(name);
    if (value === undefined) throw this.#missing(name);
    return value;
  }

  optUint(name: string): number | undefined {
    const value = this.#value[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw this.#fail(this.#prefix + name, `expected an unsigned integer, got ${describe(value)}`);
    }
    return value;
  }

  obj(name: string): Args {
    if (!this.has(name)) throw this.#missing(name);
    return new Args(this.route, this.where, this.#value[name], `${this.#prefix}${name}.`);
  }

  list(name: string): unknown[] {
    const value = this.#value[name];
    if (value === undefined || value === null) throw this.#missing(name);
    if (!Array.isArray(value))
      throw this.#fail(this.#prefix + name, `expected a list, got ${describe(value)}`);
    return value;
  }

  /** A Stone union member: `"tag"` for members without a value, or `{".tag": "tag", ...}`. */
  optUnion(name: string): { tag: string; value: Record<string, unknown> } | undefined {
    const value = this.#value[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return { tag: value, value: {} };
    if (isObject(value) && typeof value['.tag'] === 'string') return { tag: value['.tag'], value };
    throw this.#fail(this.#prefix + name, `expected a union, got ${describe(value)}`);
  }

  /** A nested element of a list argument, validated with the same error wording. */
  item(name: string, index: number, value: unknown): Args {
    return new Args(this.route, this.where, value, `${this.#prefix}${name}[${index}].`);
  }

  fail(name: string, message: string): Error {
    return this.#fail(this.#prefix + name, message);
  }

  #missing(name: string): Error {
    return this.#fail(undefined, `missing required field '${this.#prefix}${name}'`);
  }

  #fail(field: string | undefined, message: string): Error {
    return badRequest(this.route, `${this.where}: ${field === undefined ? '' : `${field}: `}${message}`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  return typeof value === 'string' ? JSON.stringify(value) : typeof value;
}
