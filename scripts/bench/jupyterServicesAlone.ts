// The size benchmark's reference for dist/kernels.js: the @jupyterlab/services modules the kernels use, bundled
// alone (no code of ours), as src/aws/sdk.ts is for the AWS SDK.
export { KernelConnection } from '@jupyterlab/services/lib/kernel/default';
export { getSpecs } from '@jupyterlab/services/lib/kernelspec/restapi';
export { listRunning, startSession, updateSession, shutdownSession } from '@jupyterlab/services/lib/session/restapi';
export { ServerConnection } from '@jupyterlab/services/lib/serverconnection';
