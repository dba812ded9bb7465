// Runs the local endpoint as a process for the demo and for benchmarks:
//   node out/test/endpoint/cli.js [--port N] [--seed FILE] [--transition-ms N] [--region R] [--regions R1,R2]
// The main listener serves one region (--region, default us-east-1), each of --regions gets a listener of
// its own, as SageMaker has an endpoint per region. Stdout carries exactly one line per listener, first
// LOCAL_SAGEMAKER_URL=... (the main one), then LOCAL_SAGEMAKER_URL_<region>=... for each of --regions, so a
// parent process can parse them; the request log goes to stderr and names operations and statuses only,
// never tokens.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startLocalSageMaker } from './server';

/** seed.json is not copied to out/, so the default points back at the source tree. */
const DEFAULT_SEED = resolve(__dirname, '../../../test/endpoint/seed.json');

interface CliArgs {
  port?: number;
  seed?: string;
  transitionMs?: number;
  region?: string;
  regions?: string[];
}

function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--port') args.port = Number(value);
    else if (flag === '--seed') args.seed = value;
    else if (flag === '--transition-ms') args.transitionMs = Number(value);
    else if (flag === '--region') args.region = value;
    else if (flag === '--regions') args.regions = value.split(',').filter(Boolean);
    else throw new Error(`Unknown option ${flag}`);
    if (Number.isNaN(args.port) || Number.isNaN(args.transitionMs)) throw new Error(`${flag} needs a number`);
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const seed = args.seed ?? (existsSync(DEFAULT_SEED) ? DEFAULT_SEED : undefined);
  const endpoint = await startLocalSageMaker({
    port: args.port,
    seed,
    transitionMs: args.transitionMs,
    region: args.region,
    regions: args.regions,
    onRequest: (r) => process.stderr.write(`${r.op} ${r.region ?? '-'} ${r.statusCode ?? 'no response'}\n`),
    onGatewayVisit: (v) => process.stderr.write(`gateway ${v.instance} ${v.path} ${v.outcome} ${v.statusCode}\n`),
  });
  process.stdout.write(`LOCAL_SAGEMAKER_URL=${endpoint.url}\n`);
  for (const region of args.regions ?? []) process.stdout.write(`LOCAL_SAGEMAKER_URL_${region}=${endpoint.regionUrl(region)}\n`);
  const shutdown = () => {
    endpoint.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`local-sagemaker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
