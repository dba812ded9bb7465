// Where an instance's file lives, as a URI of the `sagemaker-notebook` scheme, and back:
//
//   sagemaker-notebook://<profile>@<region>/<instance>/<path under the Jupyter root>
//
// The profile is percent-encoded (encodeURIComponent) inside the authority, so a profile named
// `dev@team:1/x` or `my profile` keeps its one `@` separator and survives VS Code's own encoding of the URI
// (a saved .code-workspace holds the string; `Uri.authority` gives back the encoded text we put in). Region
// and instance names have no characters that need it. Pure: no vscode at run time.

export const SCHEME = 'sagemaker-notebook';

export interface InstanceFolder {
  readonly profile: string;
  readonly region: string;
  /** The notebook instance's name. */
  readonly instance: string;
}

export interface InstancePath extends InstanceFolder {
  /** The path under the Jupyter root, without leading or trailing slash; '' is the root. */
  readonly path: string;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const INSTANCE = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;

/** The URI's authority for a profile and region. */
export function authorityOf(profile: string, region: string): string {
  return `${encodeURIComponent(profile)}@${region}`;
}

/** The parts of a URI (its authority and path as `vscode.Uri` gives them, decoded); undefined if it is not one of ours. */
export function parseParts(authority: string, path: string): InstancePath | undefined {
  const at = authority.lastIndexOf('@');
  if (at <= 0) return undefined;
  let profile: string;
  try {
    profile = decodeURIComponent(authority.slice(0, at));
  } catch {
    return undefined;
  }
  const region = authority.slice(at + 1);
  if (!REGION.test(region)) return undefined;
  const segments = path.split('/').filter((s) => s !== '');
  const instance = segments.shift();
  if (!instance || !INSTANCE.test(instance)) return undefined;
  if (segments.some((s) => s === '.' || s === '..')) return undefined;
  return { profile, region, instance, path: segments.join('/') };
}

/** The path part of the URI for a file of an instance. */
export function uriPath(instance: string, path: string): string {
  const rest = path
    .split('/')
    .filter((s) => s !== '')
    .join('/');
  return rest ? `/${instance}/${rest}` : `/${instance}`;
}

/** The Contents API address of a path (each segment encoded; '' is the root). */
export function contentsPath(path: string): string {
  return `/api/contents/${encodePath(path)}`;
}

/** Jupyter's raw file handler (streams the bytes as they are on disk). */
export function filesPath(path: string): string {
  return `/files/${encodePath(path)}`;
}

function encodePath(path: string): string {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map(encodeURIComponent)
    .join('/');
}

/** The parent folder of a Jupyter path ('' for an entry of the root). */
export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function joinPath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

/** Whether `path` is `dir` or inside it. */
export function isWithin(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

/** One key per instance folder: the same instance under another profile is another folder. */
export function folderKey(f: InstanceFolder): string {
  return `${f.profile}\u0000${f.region}\u0000${f.instance}`;
}
