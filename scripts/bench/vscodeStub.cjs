// A `vscode` module for the minimal extension host of the activation benchmark: just what activate()
// touches, doing nothing. Installed with installVscodeStub() before the bundle is required. Anything not
// here throws with its name, so a new API used at activation shows up as an error, not as a fake timing.
'use strict';
const Module = require('module');

class Disposable {
  constructor(fn) {
    this.fn = fn;
  }
  static from(...items) {
    return new Disposable(() => items.forEach((i) => i?.dispose?.()));
  }
  dispose() {
    this.fn?.();
    this.fn = undefined;
  }
}

class EventEmitter {
  constructor() {
    this.listeners = new Set();
    this.event = (listener, thisArg, disposables) => {
      const entry = (e) => listener.call(thisArg, e);
      this.listeners.add(entry);
      const d = new Disposable(() => this.listeners.delete(entry));
      disposables?.push(d);
      return d;
    };
  }
  fire(e) {
    for (const l of [...this.listeners]) l(e);
  }
  dispose() {
    this.listeners.clear();
  }
}

const noEvent = () => new Disposable();

class Uri {
  constructor(scheme, authority, path, query, fragment) {
    Object.assign(this, { scheme, authority, path, query, fragment });
  }
  static file(p) {
    return new Uri('file', '', p, '', '');
  }
  static parse(value) {
    const u = new URL(value);
    return new Uri(u.protocol.slice(0, -1), u.host, u.pathname, u.search.slice(1), u.hash.slice(1));
  }
  static joinPath(base, ...parts) {
    return new Uri(base.scheme, base.authority, [base.path, ...parts].join('/'), '', '');
  }
  get fsPath() {
    return this.path;
  }
  with(change) {
    return new Uri(
      change.scheme ?? this.scheme,
      change.authority ?? this.authority,
      change.path ?? this.path,
      change.query ?? this.query,
      change.fragment ?? this.fragment,
    );
  }
  toString() {
    return `${this.scheme}://${this.authority}${this.path}${this.query ? `?${this.query}` : ''}`;
  }
}

class ThemeIcon {
  constructor(id, color) {
    this.id = id;
    this.color = color;
  }
}
class ThemeColor {
  constructor(id) {
    this.id = id;
  }
}
class TreeItem {
  constructor(label, collapsibleState) {
    this.label = label;
    this.collapsibleState = collapsibleState;
  }
}
class MarkdownString {
  constructor(value = '', supportThemeIcons = false) {
    this.value = value;
    this.supportThemeIcons = supportThemeIcons;
  }
  appendMarkdown(v) {
    this.value += v;
    return this;
  }
  appendText(v) {
    this.value += v;
    return this;
  }
}
class CancellationError extends Error {
  constructor() {
    super('Canceled');
    this.name = 'Canceled';
  }
}

const format = (message, ...args) => message.replace(/\{(\d+)\}/g, (m, i) => (args[i] === undefined ? m : String(args[i])));

function outputChannel(name) {
  const nop = () => undefined;
  return {
    name,
    logLevel: 2,
    onDidChangeLogLevel: noEvent,
    trace: nop,
    debug: nop,
    info: nop,
    warn: nop,
    error: nop,
    append: nop,
    appendLine: nop,
    replace: nop,
    clear: nop,
    show: nop,
    hide: nop,
    dispose: nop,
  };
}

function treeView() {
  return {
    visible: false,
    selection: [],
    description: undefined,
    message: undefined,
    title: undefined,
    badge: undefined,
    onDidChangeVisibility: noEvent,
    onDidChangeSelection: noEvent,
    onDidExpandElement: noEvent,
    onDidCollapseElement: noEvent,
    onDidChangeCheckboxState: noEvent,
    reveal: async () => undefined,
    dispose: () => undefined,
  };
}

function statusBarItem(id, alignment, priority) {
  const item = {
    id,
    alignment,
    priority,
    text: '',
    tooltip: undefined,
    name: undefined,
    command: undefined,
    backgroundColor: undefined,
    accessibilityInformation: undefined,
    visible: false,
  };
  return Object.assign(item, {
    show: () => void (item.visible = true),
    hide: () => void (item.visible = false),
    dispose: () => void (item.visible = false),
  });
}

function configuration(defaults) {
  return {
    get: (key, fallback) => (key in defaults ? defaults[key] : fallback),
    has: (key) => key in defaults,
    inspect: () => undefined,
    update: async () => undefined,
  };
}

// The defaults of package.json's contributes.configuration, as VS Code would answer them.
function configurationDefaults(packageJson) {
  const out = {};
  const props = packageJson?.contributes?.configuration?.properties ?? {};
  for (const [key, spec] of Object.entries(props)) out[key] = spec.default;
  return out;
}

function createVscode(packageJson) {
  const defaults = configurationDefaults(packageJson);
  const section = (name) => {
    const prefix = name ? `${name}.` : '';
    const scoped = {};
    for (const [k, v] of Object.entries(defaults)) if (k.startsWith(prefix)) scoped[k.slice(prefix.length)] = v;
    return scoped;
  };
  const commands = new Map();
  const statusItems = [];
  const api = {
    version: '1.100.0',
    Disposable,
    EventEmitter,
    Uri,
    ThemeIcon,
    ThemeColor,
    TreeItem,
    MarkdownString,
    CancellationError,
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    ViewColumn: { Active: -1, Beside: -2, One: 1 },
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    l10n: {
      t: (message, ...args) =>
        format(typeof message === 'string' ? message : message.message, ...(Array.isArray(args[0]) ? args[0] : args)),
      bundle: undefined,
      uri: undefined,
    },
    window: {
      createOutputChannel: (name) => outputChannel(name),
      createTreeView: () => treeView(),
      registerTreeDataProvider: () => new Disposable(),
      createStatusBarItem: (id, alignment, priority) => {
        const item = statusBarItem(id, alignment, priority);
        statusItems.push(item);
        return item;
      },
      onDidChangeWindowState: noEvent,
      onDidChangeActiveNotebookEditor: noEvent,
      activeNotebookEditor: undefined,
      state: { focused: true, active: true },
      showInformationMessage: async () => undefined,
      showWarningMessage: async () => undefined,
      showErrorMessage: async () => undefined,
      setStatusBarMessage: () => new Disposable(),
      registerTerminalProfileProvider: () => new Disposable(),
      onDidChangeActiveTerminal: noEvent,
      activeTerminal: undefined,
      terminals: [],
    },
    workspace: {
      getConfiguration: (name) => configuration(section(name)),
      onDidChangeConfiguration: noEvent,
      onDidOpenNotebookDocument: noEvent,
      onDidCloseNotebookDocument: noEvent,
      notebookDocuments: [],
      isTrusted: true,
      workspaceFolders: undefined,
      // src/manage registers its lifecycle file system, startup log documents and script diagnostics.
      textDocuments: [],
      registerFileSystemProvider: () => new Disposable(),
      registerTextDocumentContentProvider: () => new Disposable(),
      onDidOpenTextDocument: noEvent,
      onDidChangeTextDocument: noEvent,
      onDidCloseTextDocument: noEvent,
    },
    languages: {
      createDiagnosticCollection: () => ({
        set: () => undefined,
        delete: () => undefined,
        clear: () => undefined,
        dispose: () => undefined,
      }),
      registerDocumentLinkProvider: () => new Disposable(),
    },
    commands: {
      registerCommand: (id, fn) => {
        commands.set(id, fn);
        return new Disposable(() => commands.delete(id));
      },
      executeCommand: async (id, ...args) => commands.get(id)?.(...args),
      getCommands: async () => [...commands.keys()],
    },
    env: {
      appName: 'Minimal Extension Host',
      language: 'en',
      machineId: 'bench',
      sessionId: 'bench',
      uriScheme: 'vscode',
      remoteName: undefined,
      openExternal: async () => true,
      clipboard: { readText: async () => '', writeText: async () => undefined },
    },
    extensions: { getExtension: () => undefined, all: [] },
  };
  return { api, commands, statusItems };
}

// Unimplemented members throw with their name rather than returning undefined. One proxy per namespace,
// made once: VS Code's own namespaces are plain objects, so `vscode.commands` must not cost a new object.
function strict(target, path, made = new WeakMap()) {
  const existing = made.get(target);
  if (existing) return existing;
  const proxy = new Proxy(target, {
    get(obj, key) {
      if (!(key in obj)) {
        if (typeof key === 'symbol' || ['then', '__esModule', 'default', 'toJSON'].includes(key)) return undefined;
        throw new Error(`vscode stub: ${path}.${String(key)} is not implemented`);
      }
      const v = obj[key];
      return v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype ? strict(v, `${path}.${String(key)}`, made) : v;
    },
  });
  made.set(target, proxy);
  return proxy;
}

class Memento {
  constructor(entries = {}) {
    this.map = new Map(Object.entries(entries));
  }
  keys() {
    return [...this.map.keys()];
  }
  get(key, fallback) {
    return this.map.has(key) ? this.map.get(key) : fallback;
  }
  async update(key, value) {
    if (value === undefined) this.map.delete(key);
    else this.map.set(key, value);
  }
  setKeysForSync() {}
}

function createContext(extensionPath, vscode, packageJSON) {
  const uri = vscode.Uri.file(extensionPath);
  return {
    subscriptions: [],
    // SMN_GLOBAL_STATE (JSON): what a previous run stored, e.g. a tracked session.
    globalState: new Memento(JSON.parse(process.env.SMN_GLOBAL_STATE ?? '{}')),
    workspaceState: new Memento(),
    secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: noEvent },
    extensionUri: uri,
    extensionPath,
    extensionMode: Number(process.env.SMN_EXTENSION_MODE ?? 1),
    environmentVariableCollection: {},
    asAbsolutePath: (p) => require('path').join(extensionPath, p),
    storageUri: undefined,
    storagePath: undefined,
    globalStorageUri: vscode.Uri.file('/tmp/smn-bench-global-storage'),
    globalStoragePath: '/tmp/smn-bench-global-storage',
    logUri: vscode.Uri.file('/tmp/smn-bench-log'),
    logPath: '/tmp/smn-bench-log',
    extension: { id: 'bench.bench', extensionPath, extensionUri: uri, packageJSON, isActive: false },
  };
}

/** Makes `require('vscode')` answer the stub; returns the stub and the registered commands. */
function installVscodeStub(packageJson) {
  const { api, commands, statusItems } = createVscode(packageJson);
  const stub = strict(api, 'vscode');
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
  };
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === 'vscode' ? stub : load.call(this, request, ...rest);
  };
  return { vscode: stub, commands, statusItems, createContext: (extensionPath) => createContext(extensionPath, api, packageJson) };
}

module.exports = { installVscodeStub };
