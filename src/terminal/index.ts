// Entry point of the terminal bundle (dist/terminal.js), loaded by loadTerminal.ts the first time a terminal on
// an instance opens: the WebSocket client (ws) and the terminal's logic cost nothing before.
export { InstanceTerminal, type TerminalTarget, type TerminalPhase } from './instanceTerminal';
export { JupyterTerminals, type TerminalModel } from './jupyterTerminals';
