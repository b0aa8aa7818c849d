import type * as tfTypes from '@tensorflow/tfjs';

export type Tf = typeof tfTypes;

let loaded: Promise<{ tf: Tf; backend: string }> | undefined;

/**
 * TensorFlow.js for training: @tensorflow/tfjs-node (native, an optional dependency that cannot
 * install where its libtensorflow download is blocked) when present, else pure-JS @tensorflow/tfjs.
 */
export function loadTf(): Promise<{ tf: Tf; backend: string }> {
  loaded ??= (async () => {
    try {
      const tf = (await import('@tensorflow/tfjs-node' as string)) as Tf;
      return { tf, backend: 'tfjs-node' };
    } catch {
      const tf = await import('@tensorflow/tfjs');
      await tf.setBackend('cpu');
      return { tf: tf as Tf, backend: 'tfjs-cpu' };
    }
  })();
  return loaded;
}
