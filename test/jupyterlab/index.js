// The JupyterLab application the tests serve: the core plugins (listed in package.json, imported by the
// generated build/plugins.js), started the way JupyterLab's own app starts them.
import { JupyterLab } from '@jupyterlab/application';
import { JupyterPluginRegistry, PageConfig } from '@jupyterlab/coreutils';
import { IConnectionStatus, IServiceManager } from '@jupyterlab/services';
import { extensions, mimeExtensions } from './build/plugins.js';

// Chunks and CSS assets load from where the server serves the build, set before any of them loads.
// eslint-disable-next-line no-undef
__webpack_public_path__ = PageConfig.getOption('fullStaticUrl') + '/';

const styles = import('./build/style.js');

/** A package's plugins, whether it exports one or an array, as ES module or CommonJS. */
function pluginsOf(mod) {
  const exported = Object.prototype.hasOwnProperty.call(mod, '__esModule') ? mod.default : mod;
  return Array.isArray(exported) ? exported : [exported];
}

window.addEventListener('load', async () => {
  await styles;
  const registry = new JupyterPluginRegistry();
  // The language-server plugins need @jupyterlab/lsp-extension, which this build leaves out.
  const plugins = (await Promise.all(extensions)).flatMap(pluginsOf).filter(({ id }) => !id.includes(':language-server'));
  registry.registerPlugins(plugins);
  const lab = new JupyterLab({
    pluginRegistry: registry,
    serviceManager: await registry.resolveRequiredService(IServiceManager),
    connectionStatus: await registry.resolveOptionalService(IConnectionStatus),
    mimeExtensions: await Promise.all(mimeExtensions),
  });
  await lab.start();
  await lab.restored;
  console.log('JupyterLab started');
});
