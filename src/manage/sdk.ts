// Entry point of the management bundle (dist/manageSdk.js): the CloudWatch Logs and IAM clients, required
// the first time a Show Startup Log or a Create wizard needs them, so listing instances never parses them.
export { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
export { IAMClient, paginateListRoles } from '@aws-sdk/client-iam';
