import { fail } from './errors';

/**
 * Narrows an `unknown` object field by field and refuses fields nobody asked for, so every
 * argument and every ledger record is parsed against one explicit shape (no `as T`).
 */
export class ObjectReader {
  readonly #value: Readonly<Record<string, unknown>>;
  readonly #path: string;
  readonly #seen = new Set<string>();

  private constructor(value: Readonly<Record<string, unknown>>, path: string) {
    this.#value = value;
    this.#path = path;
  }

  /**
   * Starts reading `value` as a plain object named `path` in error messages.
   * @throws INVALID_ARGUMENT when it is not a plain object.
   */
  static of(value: unknown, path: string): ObjectReader {
    if (!isPlainObject(value)) fail('INVALID_ARGUMENT', `${path} must be a JSON object`);
    return new ObjectReader(value, path);
  }

  #take(key: string): unknown {
    this.#seen.add(key);
    return Object.prototype.hasOwnProperty.call(this.#value, key) ? this.#value[key] : undefined;
  }

  #name(key: string): string {
    return `${this.#path}.${key}`;
  }

  /** A required field, narrowed by `parse` (which receives the field's path for its messages). */
  field<T>(key: string, parse: (value: unknown, path: string) => T): T {
    const value = this.#take(key);
    if (value === undefined) fail('INVALID_ARGUMENT', `${this.#name(key)} is required`);
    return parse(value, this.#name(key));
  }

  /** An optional field: absent or null gives `undefined`. */
  optional<T>(key: string, parse: (value: unknown, path: string) => T): T | undefined {
    const value = this.#take(key);
    if (value === undefined || value === null) return undefined;
    return parse(value, this.#name(key));
  }

  /**
   * Ends the read.
   * @throws INVALID_ARGUMENT naming the first field that was not expected.
   */
  done(): void {
    for (const key of Object.keys(this.#value).sort()) {
      if (!this.#seen.has(key)) fail('INVALID_ARGUMENT', `${this.#name(key)} is not an allowed field`);
    }
  }
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Reads `value` as an object with `read` and checks no unknown field is left. */
export function parseObject<T>(value: unknown, path: string, read: (r: ObjectReader) => T): T {
  const reader = ObjectReader.of(value, path);
  const result = read(reader);
  reader.done();
  return result;
}

/**
 * A plain JSON object with its fields unchecked, for a value its consumer validates in full later
 * (a configuration patch, checked against the configuration in force when it is applied).
 * @throws INVALID_ARGUMENT when it is not a plain object.
 */
export function plainObject(value: unknown, path: string): Readonly<Record<string, unknown>> {
  if (!isPlainObject(value)) fail('INVALID_ARGUMENT', `${path} must be a JSON object`);
  return value;
}
