import { lazyBundle } from '../shared/lazy';
import type * as Proxy from './proxy';

/** The notebook proxy and its libraries (dist/proxy.js), loaded on the first "Open in VS Code". */
export function loadProxy(): typeof Proxy {
  return lazyBundle<typeof Proxy>('proxy', 'open/proxy/index.js');
}
