// Entry point of the proxy bundle (dist/proxy.js), loaded lazily by src/open/loadProxy.ts: the proxy and its
// libraries (http-proxy-3, set-cookie-parser) cost nothing until the first "Open in VS Code".
export { startNotebookProxy, type NotebookProxy, type NotebookProxyOptions } from './notebookProxy';
export { JupyterConnection } from '../../jupyter/connection';
