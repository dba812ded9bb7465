// Entry point of the kernels bundle (dist/kernels.js), loaded by src/kernels/loadKernels.ts the first time a
// notebook runs on an instance's kernel: @jupyterlab/services (sessions, kernels, the messaging protocol,
// the kernel WebSocket and its reconnection) costs nothing before. Deep imports keep its other services
// (contents, settings, collaboration) out of the bundle.
export { KernelConnection } from '@jupyterlab/services/lib/kernel/default';
export { getSpecs } from '@jupyterlab/services/lib/kernelspec/restapi';
export { getKernelModel } from '@jupyterlab/services/lib/kernel/restapi';
export { listRunning, startSession, updateSession, shutdownSession } from '@jupyterlab/services/lib/session/restapi';
export { serverSettings, type Transport } from './transport';
