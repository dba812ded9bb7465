// Which of our settings a workspace's own settings files set where VS Code will not apply them. VS Code
// drops restricted (untrusted workspace) and machine-scoped values before an extension can inspect them,
// so the only way to tell the user is to look at the files. Pure: the caller reads them.

/** Keys of ours that a settings.json or .code-workspace text sets (comments are not parsed; a key in a comment counts). */
export function settingKeysIn(text: string, keys: readonly string[]): string[] {
  return keys.filter((key) => new RegExp(`"${key.replace(/\./g, '\\.')}"\\s*:`).test(text));
}

/** The messages to show for ignored workspace settings. */
export function ignoredSettings(found: readonly string[], trusted: boolean): string[] {
  const ignored: string[] = [];
  if (!trusted && found.includes('sagemakerNotebooks.profile')) ignored.push('sagemakerNotebooks.profile');
  if (found.includes('sagemakerNotebooks.endpoint')) ignored.push('sagemakerNotebooks.endpoint');
  return ignored;
}
