import { lazyBundle } from '../shared/lazy';
import type * as Kernels from './bundle';

/** @jupyterlab/services and our transport for it (dist/kernels.js), loaded the first time a cell runs on an instance. */
export function loadKernels(): typeof Kernels {
  return lazyBundle<typeof Kernels>('kernels', 'kernels/bundle/index.js');
}
