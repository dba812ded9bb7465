// The CLI as the demo and benchmarks start it: one URL line on stdout, the request log on stderr.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { ListNotebookInstancesCommand } from '@aws-sdk/client-sagemaker';
import { TEAM_ACCESS_KEY_ID } from '../../endpoint/server';
import { localClient } from '../../endpoint/testClient';

const CLI = join(__dirname, '../../endpoint/cli.js');

describe('local SageMaker: CLI', () => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });

  it('prints its URLs, serves the demo seed, logs to stderr and exits cleanly on SIGTERM', async () => {
    child = spawn(process.execPath, [CLI, '--port', '0', '--transition-ms', '10', '--regions', 'eu-west-1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const [url, euUrl] = await new Promise<string[]>((resolve, reject) => {
      child!.stdout!.on('data', (d) => {
        stdout += d;
        const match = /^LOCAL_SAGEMAKER_URL=(http:\/\/127\.0\.0\.1:\d+)\nLOCAL_SAGEMAKER_URL_eu-west-1=(http:\/\/127\.0\.0\.1:\d+)\n/.exec(
          stdout,
        );
        if (match) resolve([match[1], match[2]]);
      });
      child!.once('exit', () => reject(new Error(`CLI exited early: ${stderr}`)));
    });
    const statuses = async (options: Parameters<typeof localClient>[1], at = url) => {
      const client = localClient({ url: at }, options);
      const out = await client.send(new ListNotebookInstancesCommand({ MaxResults: 100 }));
      client.destroy();
      return (out.NotebookInstances ?? []).map((i) => i.NotebookInstanceStatus);
    };
    const mine = await statuses({});
    assert.ok(mine.length >= 5 && new Set(mine).size >= 5, `several statuses in us-east-1: ${mine.join()}`);
    assert.ok((await statuses({ region: 'eu-west-1' }, euUrl)).length >= 1);
    // The main listener serves us-east-1 only, as a regional SageMaker endpoint does.
    await assert.rejects(
      statuses({ region: 'eu-west-1', maxAttempts: 1 }),
      /Credential should be scoped to a valid region, not 'eu-west-1'/,
    );
    assert.equal((await statuses({ accessKeyId: TEAM_ACCESS_KEY_ID })).length, 2);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
    assert.equal(stdout.trim().split('\n').length, 2, 'stdout holds exactly the URL lines');
    assert.match(stderr, /ListNotebookInstances us-east-1 200/);
  });
});
