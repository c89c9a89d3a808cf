// Typed access to test/vectors/*.json without casting parsed JSON: every read checks the shape it expects
// and fails loudly (naming the path) if a vector file was edited into a different one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const VECTOR_DIR = join(__dirname, '..', '..', 'vectors');

/** A position inside a parsed vector file. */
export class Json {
  constructor(
    readonly value: unknown,
    readonly path: string,
  ) {}

  static load(file: string): Json {
    return new Json(JSON.parse(readFileSync(join(VECTOR_DIR, file), 'utf8')) as unknown, file);
  }

  get(key: string): Json {
    if (typeof this.value !== 'object' || this.value === null || Array.isArray(this.value)) {
      throw new Error(`${this.path} is not an object`);
    }
    return new Json((this.value as Record<string, unknown>)[key], `${this.path}.${key}`);
  }

  has(key: string): boolean {
    return typeof this.value === 'object' && this.value !== null && key in this.value;
  }

  items(): Json[] {
    if (!Array.isArray(this.value)) throw new Error(`${this.path} is not an array`);
    return this.value.map((v: unknown, i) => new Json(v, `${this.path}[${i}]`));
  }

  str(): string {
    if (typeof this.value !== 'string') throw new Error(`${this.path} is not a string`);
    return this.value;
  }

  num(): number {
    if (typeof this.value !== 'number') throw new Error(`${this.path} is not a number`);
    return this.value;
  }

  isNull(): boolean {
    return this.value === null;
  }

  strs(): string[] {
    return this.items().map((i) => i.str());
  }

  nums(): number[] {
    return this.items().map((i) => i.num());
  }

  bytes(): Buffer {
    return Buffer.from(this.str(), 'hex');
  }

  byteList(): Buffer[] {
    return this.items().map((i) => i.bytes());
  }
}
