import { lazyBundle } from '../aws/loadSdk';
import type * as Terminal from './index';

/** The terminal's Pseudoterminal and its WebSocket client (dist/terminal.js), loaded on the first terminal. */
export function loadTerminal(): typeof Terminal {
  return lazyBundle<typeof Terminal>('terminal', 'terminal/index.js');
}
