// What the explorer shows above the rows: which profile and regions, and whether it can list at all.
// The `state` drives viewsWelcome through the `sagemakerNotebooks.state` context key.
import type { ErrorKind } from '../aws/errors';

export type ExplorerStateKind =
  | 'loading'
  | 'ready'
  | 'noConfig'
  | 'unknownProfile'
  | 'malformedConfig'
  | 'noRegion'
  | 'ssoExpired'
  | 'noCredentials'
  | 'mfaCancelled';

export interface ExplorerState {
  readonly kind: ExplorerStateKind;
  readonly profile?: string;
  readonly regions?: readonly string[];
  readonly message?: string;
}

/** Credential problems affect every region alike, so they become one welcome state instead of a row per region. */
export function stateForCredentialError(kind: ErrorKind): ExplorerStateKind | undefined {
  switch (kind) {
    case 'ssoExpired':
      return 'ssoExpired';
    case 'unknownProfile':
      return 'unknownProfile';
    case 'noCredentials':
    case 'invalidCredentials':
    case 'mfaRequired':
      return 'noCredentials';
    case 'cancelled': // the only prompt while resolving credentials is the MFA code
    case 'mfaRejected':
      return 'mfaCancelled';
    default:
      return undefined;
  }
}

/** Profile and regions, after the view's title. The filter goes to the view's message (see describeFilter). */
export function viewDescription(state: ExplorerState): string | undefined {
  const parts: string[] = [];
  if (state.profile) parts.push(state.profile);
  if (state.kind === 'ready' && state.regions?.length) parts.push(state.regions.join(', '));
  return parts.length ? parts.join(' · ') : undefined;
}
