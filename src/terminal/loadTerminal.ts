import { lazyBundle } from '../shared/lazy';
import type * as Terminal from './index';

/** The terminal's Pseudoterminal and its WebSocket client (dist/terminal.js), loaded on the first terminal. */
export function loadTerminal(): typeof Terminal {
  return lazyBundle<typeof Terminal>('terminal', 'terminal/index.js');
}
