import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

/** The slice of @tensorflow/tfjs-tflite this server uses: its synchronous model runner. */
export interface TfliteTensorInfo {
  data(): Float32Array;
  shape: string;
  dataType: string;
  name: string;
}
export interface TfliteModelRunner {
  getInputs(): TfliteTensorInfo[];
  getOutputs(): TfliteTensorInfo[];
  infer(): boolean;
  cleanUp(): void;
}
export interface TfliteModel {
  modelRunner: TfliteModelRunner;
}
interface TfliteModule {
  setWasmPath(path: string): void;
  getWasmFeatures(): Promise<{ simd: boolean; multiThreading: boolean }>;
  loadTFLiteModel(model: ArrayBuffer, options: { numThreads: number }): Promise<TfliteModel>;
}

let runtime: Promise<TfliteModule> | undefined;

/**
 * Loads TFLite (compiled to WebAssembly by @tensorflow/tfjs-tflite) into this thread. Its loader
 * assumes a browser Web Worker, so Node gets what it reaches for (measured on this machine, see
 * ../shared/notes/tflite-in-node.md): a `self` with a location, an `importScripts` that evaluates
 * the emscripten glue in the global scope, and a `fetch` that answers the local .wasm files. The
 * threaded build needs Web Workers, so the single-threaded SIMD build is forced.
 */
export function loadTfliteRuntime(): Promise<TfliteModule> {
  runtime ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmDir = `${join(dirname(require.resolve('@tensorflow/tfjs-tflite/package.json')), 'wasm')}/`;
    const g = globalThis as Record<string, unknown>;
    // The loader prefixes absolute wasm paths with self.location.origin: keep it empty.
    g.self ??= globalThis;
    (g.self as Record<string, unknown>).location ??= { href: pathToFileURL(wasmDir).href, origin: '' };
    // The package also starts a load of its own when first required, with an empty wasm path:
    // bare file names resolve into the wasm folder too.
    const toPath = (url: string) =>
      url.startsWith('file:') ? fileURLToPath(url) : url.startsWith('/') ? url : join(wasmDir, url);
    g.importScripts = (...urls: string[]) => {
      for (const url of urls)
        vm.runInThisContext(readFileSync(toPath(url), 'utf8'), { filename: toPath(url) });
    };
    // TFLite announces its XNNPACK delegate on stderr at every model load, through a
    // console.warn it binds when the runtime starts: drop that one line, keep the rest.
    const warn = console.warn.bind(console);
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].startsWith('INFO: Created TensorFlow Lite XNNPACK delegate'))
        return;
      warn(...args);
    };
    const nativeFetch = globalThis.fetch;
    g.fetch = async (input: unknown, init?: RequestInit) => {
      const url =
        typeof input === 'string'
          ? input
          : input instanceof URL
            ? input.href
            : String((input as Request).url);
      const path = toPath(url);
      if (path.startsWith(wasmDir) && existsSync(path)) {
        return new Response(readFileSync(path), { headers: { 'content-type': 'application/wasm' } });
      }
      return nativeFetch(input as Parameters<typeof fetch>[0], init);
    };
    // Its multi-threading probe posts a SharedArrayBuffer; without one the probe answers false,
    // and the answer is cached for every later load, which then picks the SIMD build.
    const sharedArrayBuffer = g.SharedArrayBuffer;
    g.SharedArrayBuffer = undefined;
    try {
      const tflite = require('@tensorflow/tfjs-tflite') as TfliteModule;
      tflite.setWasmPath(wasmDir);
      const features = await tflite.getWasmFeatures();
      if (features.multiThreading)
        throw new Error('tfjs-tflite chose its threaded build, which Node cannot run');
      return tflite;
    } finally {
      g.SharedArrayBuffer = sharedArrayBuffer;
    }
  })();
  return runtime;
}

/** Loads one .tflite model into an interpreter of this thread. */
export async function loadTfliteModel(bytes: Uint8Array): Promise<TfliteModel> {
  const tflite = await loadTfliteRuntime();
  // A copy in an ArrayBuffer of its own: a Node Buffer's .buffer can be a shared pool holding
  // other data around the model's bytes (Buffer.slice does not copy).
  const copy = new Uint8Array(bytes).buffer;
  return tflite.loadTFLiteModel(copy, { numThreads: 1 });
}
