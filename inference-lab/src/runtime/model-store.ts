/**
 * The model store: loads an ONNX file only when its bytes hash to the approved SHA-256, and keeps one
 * onnxruntime `InferenceSession` per model version. The bytes that are hashed are the bytes handed to
 * onnxruntime (one read, no second open), so a file swapped after the check cannot be run. Session options are
 * pinned and reported as the determinism profile that goes into every trace.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  type DeterminismProfile,
  type GraphOptimizationLevel,
  type Sha256Hex,
  type Tensor,
  sha256Hex,
} from '@veriscan/protocol';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import {
  InferenceError,
  type ModelHashMismatch,
  ModelHashMismatchError,
  ModelManifestError,
} from './errors.js';
import { type ModelManifest, PREPROCESS_ALGORITHM, parseModelManifest } from './manifest.js';
import type { Logits } from './postprocess.js';
import { type SessionSettings, determinismProfile } from './profile.js';

/** Where a model version comes from. */
export type ModelSource =
  /** A folder holding model.json and the ONNX file it names; model.json's hash is the expectation. */
  | string
  | {
      /** A folder holding model.json and the ONNX file it names. */
      readonly dir: string;
      /** The hash approved on the ledger; the file (and model.json's `onnxSha256`) must equal it. */
      readonly expectedSha256?: Sha256Hex;
    }
  | {
      readonly onnxPath: string;
      readonly manifestPath: string;
      readonly expectedSha256?: Sha256Hex;
    };

/** Options of {@link ModelStore}; every session it creates uses them. */
export interface ModelStoreOptions {
  /** Threads inside one operator; default 1. Recorded in every trace. */
  readonly intraOpThreads?: number;
  /** onnxruntime graph optimisation level; default `all`. Recorded in every trace. */
  readonly graphOptimizationLevel?: GraphOptimizationLevel;
  /**
   * The host's widest vector instruction set, e.g. from `instructionSetFromCpuinfo` (the store reads no
   * system files itself).
   */
  readonly instructionSet: string;
  /** Called once for each refused file, before the error is thrown: wire it to a counter metric. */
  readonly onHashMismatch?: (mismatch: ModelHashMismatch) => void;
}

/** A verified model version with its cached session. */
export interface LoadedModel {
  readonly manifest: ModelManifest;
  /** SHA-256 of the ONNX bytes the session was created from (equal to the approved hash). */
  readonly hash: Sha256Hex;
  /** The determinism profile of runs on this session. */
  readonly profile: DeterminismProfile;
  /**
   * Runs the model on one preprocessed tensor.
   * @throws InferenceError when onnxruntime fails or the output breaks the manifest's shape.
   */
  run(input: Tensor): Promise<Logits>;
}

interface ResolvedSource {
  readonly manifestPath: string;
  /** Absent: the file model.json names, beside it. */
  readonly onnxPath: string | undefined;
  readonly expectedSha256: Sha256Hex | undefined;
}

function resolve(source: ModelSource): ResolvedSource {
  if (typeof source === 'string') {
    return { manifestPath: join(source, 'model.json'), onnxPath: undefined, expectedSha256: undefined };
  }
  if ('dir' in source) {
    return {
      manifestPath: join(source.dir, 'model.json'),
      onnxPath: undefined,
      expectedSha256: source.expectedSha256,
    };
  }
  return {
    manifestPath: source.manifestPath,
    onnxPath: source.onnxPath,
    expectedSha256: source.expectedSha256,
  };
}

async function readManifest(path: string): Promise<ModelManifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ModelManifestError(`cannot read ${path}`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ModelManifestError(`${path} is not JSON`, { cause });
  }
  return parseModelManifest(json);
}

/** Loads, verifies and caches model versions. */
export class ModelStore {
  readonly #settings: SessionSettings;
  readonly #instructionSet: string;
  readonly #onHashMismatch: ((mismatch: ModelHashMismatch) => void) | undefined;
  /** id@version -> the (possibly pending) loaded model. */
  readonly #models = new Map<string, Promise<LoadedModel>>();

  constructor(options: Readonly<ModelStoreOptions>) {
    const threads = options.intraOpThreads ?? 1;
    if (!Number.isInteger(threads) || threads < 1 || threads > 1024) {
      throw new RangeError(`intraOpThreads must be an integer in [1, 1024], got ${threads}`);
    }
    this.#settings = {
      intraOpThreads: threads,
      interOpThreads: 1,
      graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
      executionMode: 'sequential',
    };
    this.#instructionSet = options.instructionSet;
    this.#onHashMismatch = options.onHashMismatch;
  }

  /** The determinism profile every session of this store runs with. */
  get profile(): DeterminismProfile {
    return determinismProfile({
      settings: this.#settings,
      onnxruntimeVersion: ort.env.versions.node ?? ort.env.versions.common,
      instructionSet: this.#instructionSet,
      sharpVersion: sharp.versions.sharp,
      libvipsVersion: sharp.versions.vips,
      preprocessAlgorithm: PREPROCESS_ALGORITHM,
    });
  }

  /**
   * Loads a model version, or returns the cached one. The ONNX file is read once, hashed, and handed to
   * onnxruntime only if the hash equals the approved one (`expectedSha256`, else model.json's `onnxSha256`).
   * @throws ModelHashMismatchError when the file's hash differs (the mismatch hook has been called; no session
   * exists for the file). ModelManifestError when model.json is missing, malformed, unsupported, or its
   * `onnxSha256` disagrees with the approved hash. InferenceError when onnxruntime rejects the file.
   */
  async load(source: ModelSource): Promise<LoadedModel> {
    const resolved = resolve(source);
    const manifest = await readManifest(resolved.manifestPath);
    const key = `${manifest.modelId}@${manifest.version}`;
    const expected = resolved.expectedSha256 ?? manifest.onnxSha256;
    const cached = this.#models.get(key);
    if (cached !== undefined) {
      const model = await cached;
      if (model.hash !== expected) {
        this.#refuse({
          modelId: manifest.modelId,
          version: manifest.version,
          expected,
          actual: model.hash,
          path: key,
        });
      }
      return model;
    }
    const onnxPath = resolved.onnxPath ?? join(dirname(resolved.manifestPath), manifest.onnx.file);
    const pending = this.#create(manifest, onnxPath, expected);
    this.#models.set(key, pending);
    try {
      return await pending;
    } catch (error) {
      this.#models.delete(key);
      throw error;
    }
  }

  /** The loaded model for `id@version`, if {@link load} has completed for it. */
  async get(modelId: string, version: string): Promise<LoadedModel | undefined> {
    const pending = this.#models.get(`${modelId}@${version}`);
    return pending === undefined ? undefined : pending.catch(() => undefined);
  }

  /** Releases every session (graceful shutdown). Loaded models must not be run afterwards. */
  async close(): Promise<void> {
    const models = [...this.#models.values()];
    this.#models.clear();
    const sessions = await Promise.allSettled(models);
    for (const s of sessions) if (s.status === 'fulfilled') await releaseOf(s.value)();
  }

  #refuse(mismatch: ModelHashMismatch): never {
    this.#onHashMismatch?.(mismatch);
    throw new ModelHashMismatchError(mismatch);
  }

  async #create(manifest: ModelManifest, onnxPath: string, expected: Sha256Hex): Promise<LoadedModel> {
    let bytes: Buffer;
    try {
      bytes = await readFile(onnxPath);
    } catch (cause) {
      throw new ModelManifestError(`cannot read ${onnxPath}`, { cause });
    }
    const actual = sha256Hex(bytes);
    if (actual !== expected) {
      this.#refuse({
        modelId: manifest.modelId,
        version: manifest.version,
        expected,
        actual,
        path: onnxPath,
      });
    }
    if (manifest.onnxSha256 !== expected) {
      throw new ModelManifestError(
        `model.json of ${manifest.modelId}@${manifest.version} names onnxSha256 ${manifest.onnxSha256}, ` +
          `approved is ${expected}`,
      );
    }
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        executionProviders: ['cpu'],
        intraOpNumThreads: this.#settings.intraOpThreads,
        interOpNumThreads: this.#settings.interOpThreads,
        graphOptimizationLevel: this.#settings.graphOptimizationLevel,
        executionMode: this.#settings.executionMode,
        logSeverityLevel: 3,
      });
    } catch (cause) {
      throw new InferenceError(`onnxruntime rejected ${manifest.modelId}@${manifest.version}`, { cause });
    }
    const model = new SessionModel(manifest, actual, this.profile, session);
    return model;
  }
}

const released = new WeakMap<LoadedModel, () => Promise<void>>();

function releaseOf(model: LoadedModel): () => Promise<void> {
  return released.get(model) ?? (() => Promise.resolve());
}

/** A LoadedModel backed by one onnxruntime session. */
class SessionModel implements LoadedModel {
  readonly manifest: ModelManifest;
  readonly hash: Sha256Hex;
  readonly profile: DeterminismProfile;
  readonly #session: ort.InferenceSession;

  constructor(
    manifest: ModelManifest,
    hash: Sha256Hex,
    profile: DeterminismProfile,
    session: ort.InferenceSession,
  ) {
    this.manifest = manifest;
    this.hash = hash;
    this.profile = profile;
    this.#session = session;
    released.set(this, () => session.release());
  }

  async run(input: Tensor): Promise<Logits> {
    const { onnx } = this.manifest;
    if (input.shape.join('x') !== onnx.input.shape.join('x')) {
      throw new InferenceError(`input shape ${input.shape.join('x')} is not ${onnx.input.shape.join('x')}`);
    }
    let result: ort.InferenceSession.OnnxValueMapType;
    try {
      result = await this.#session.run({
        [onnx.input.name]: new ort.Tensor('float32', input.data, [...input.shape]),
      });
    } catch (cause) {
      throw new InferenceError(`onnxruntime failed on ${this.manifest.modelId}@${this.manifest.version}`, {
        cause,
      });
    }
    const output = result[onnx.output.name];
    if (output === undefined || output.type !== 'float32' || !(output.data instanceof Float32Array)) {
      throw new InferenceError(`model returned no float32 ${onnx.output.name}`);
    }
    if (output.dims.join('x') !== onnx.output.shape.join('x')) {
      throw new InferenceError(`output shape ${output.dims.join('x')} is not ${onnx.output.shape.join('x')}`);
    }
    const [, classes = 0, height = 0, width = 0] = onnx.output.shape;
    return { data: output.data, classes, width, height };
  }
}
