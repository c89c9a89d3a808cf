/** `preprocess(pixels, inputSpec)`: the model-spec-driven entry point over the implemented algorithm. */
import type { PixelImage, Tensor } from '@veriscan/protocol';
import { ModelManifestError } from './errors.js';
import { type ModelManifest, PREPROCESS_ALGORITHM } from './manifest.js';
import { preprocessLetterbox } from './preprocess.js';

/**
 * Canonical pixels to the model's input tensor, exactly as the manifest's `preprocess` and `input` say.
 * @throws ModelManifestError when the manifest names a preprocessing this runtime does not implement.
 */
export function preprocess(
  pixels: PixelImage,
  manifest: Pick<ModelManifest, 'input' | 'preprocess'>,
): Tensor {
  if (manifest.preprocess.algorithm !== PREPROCESS_ALGORITHM) {
    throw new ModelManifestError(
      `preprocessing ${JSON.stringify(manifest.preprocess.algorithm)} is not implemented`,
    );
  }
  return preprocessLetterbox(pixels, manifest.input.width);
}
