// Entry point of the second bundle (dist/sdk.js). Everything the extension needs from the AWS SDK is
// re-exported here and loaded through loadSdk() on first use, so activation never parses SDK code.
export {
  SageMakerClient,
  paginateListNotebookInstances,
  DescribeNotebookInstanceCommand,
  StartNotebookInstanceCommand,
  StopNotebookInstanceCommand,
  CreatePresignedNotebookInstanceUrlCommand,
  // src/manage: create, update, delete, lifecycle configurations
  CreateNotebookInstanceCommand,
  UpdateNotebookInstanceCommand,
  DeleteNotebookInstanceCommand,
  paginateListNotebookInstanceLifecycleConfigs,
  DescribeNotebookInstanceLifecycleConfigCommand,
  CreateNotebookInstanceLifecycleConfigCommand,
  UpdateNotebookInstanceLifecycleConfigCommand,
  DeleteNotebookInstanceLifecycleConfigCommand,
} from '@aws-sdk/client-sagemaker';
export { fromIni } from '@aws-sdk/credential-providers';
export { loadSharedConfigFiles } from '@smithy/core/config';
export { createAgents, createTunnelAgent, getProxyForUrl } from './agents';
export { PlannedHttpHandler } from './httpHandler';
