// How a notebook is opened: where, and in which of Jupyter's interfaces. Read by the opener, the session
// timer and the settings alike.

/** `integratedBrowser` is VS Code's own browser tab, where this VS Code has one (checked at open time). */
export type OpenTarget = 'browser' | 'editor' | 'integratedBrowser';

export type NotebookInterface = 'jupyterlab' | 'jupyter';
