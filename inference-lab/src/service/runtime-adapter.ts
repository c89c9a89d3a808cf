/**
 * Wires the service's {@link LabRuntime} port to the real runtime (`../runtime`): models come from
 * `<modelDir>/<model-id>/<version>/` and are loaded by the runtime's ModelStore only when the ONNX file
 * hashes to the hash approved on the ledger; runs go through `runInference` with the ledger's
 * commitments, so a mismatching scan is refused by the runtime too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ModelHashMismatchError,
  ModelManifestError,
  ModelStore,
  decodeScan,
  instructionSetFromCpuinfo,
  runInference,
  type LoadedModel,
} from '../runtime';
import { ModelRefusedError, type InferenceRun, type LabRuntime, type ModelRef } from './runtime-port';
import { LabErrorCode } from '../errors';

function cpuInstructionSet(): string {
  try {
    return instructionSetFromCpuinfo(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return instructionSetFromCpuinfo('');
  }
}

/** The real runtime behind the port; `close()` releases the onnxruntime sessions. */
export class RuntimeAdapter implements LabRuntime {
  readonly #store: ModelStore;
  readonly #modelDir: string;

  constructor(options: Readonly<{ modelDir: string; intraOpThreads: number }>) {
    this.#modelDir = options.modelDir;
    this.#store = new ModelStore({
      intraOpThreads: options.intraOpThreads,
      instructionSet: cpuInstructionSet(),
    });
  }

  async #load(model: ModelRef): Promise<LoadedModel> {
    const name = `${model.id}@${model.version}`;
    try {
      return await this.#store.load({
        dir: join(this.#modelDir, model.id, model.version),
        expectedSha256: model.sha256,
      });
    } catch (error) {
      if (error instanceof ModelHashMismatchError)
        throw new ModelRefusedError(LabErrorCode.MODEL_HASH_MISMATCH, error.message, {
          model: name,
          cause: error,
        });
      if (error instanceof ModelManifestError)
        throw new ModelRefusedError(LabErrorCode.INVALID_MODEL, error.message, { model: name, cause: error });
      throw error;
    }
  }

  async decodeScan(bytes: Uint8Array, mediaType: string): ReturnType<LabRuntime['decodeScan']> {
    return decodeScan(bytes, mediaType);
  }

  async prepareModel(model: ModelRef): Promise<void> {
    await this.#load(model);
  }

  async run(input: Parameters<LabRuntime['run']>[0]): Promise<InferenceRun> {
    const model = await this.#load(input.model);
    const result = await runInference({
      scanBytes: input.scanBytes,
      mediaType: input.mediaType,
      salt: input.salt,
      model,
      tileSize: input.tileSize,
    });
    return { trace: result.trace, traceHash: result.traceHash, outputs: result.outputs };
  }

  async close(): Promise<void> {
    await this.#store.close();
  }
}
