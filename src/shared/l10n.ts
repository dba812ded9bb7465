// What pure modules need of vscode.l10n. They call `l10n.t('…')` on the object they are given, so VS Code's
// l10n tooling finds their strings too; outside VS Code (unit tests) they get plain English.

export interface L10n {
  t(message: string, ...args: Array<string | number | boolean>): string;
}

export const english: L10n = {
  t: (message, ...args) => message.replace(/\{(\d+)\}/g, (match, index: string) => (index in args ? String(args[Number(index)]) : match)),
};
