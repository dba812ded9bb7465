import * as assert from 'assert';
import { instanceLook, relativeTime } from '../../src/notebooks/instanceLook';
import type { NotebookInstance } from '../../src/shared/instance';

const base: NotebookInstance = {
  name: 'my-nb',
  arn: 'arn:aws:sagemaker:us-east-1:123456789012:notebook-instance/my-nb',
  region: 'us-east-1',
  status: 'InService',
  instanceType: 'ml.t3.medium',
  url: 'my-nb.notebook.us-east-1.sagemaker.aws',
  creationTime: new Date('2026-11-20T10:00:00Z'),
};

describe('instanceLook', () => {
  it('uses the ARN as a stable id and carries the status in contextValue', () => {
    const look = instanceLook(base);
    assert.strictEqual(look.id, base.arn);
    assert.strictEqual(look.contextValue, 'notebook.inService');
    assert.strictEqual(instanceLook({ ...base, status: 'Stopping' }).contextValue, 'notebook.stopping');
  });

  it('spins the icon of transitional statuses only', () => {
    for (const status of ['Pending', 'Stopping', 'Updating', 'Deleting']) {
      assert.match(instanceLook({ ...base, status }).icon, /~spin$/, status);
    }
    for (const status of ['InService', 'Stopped', 'Failed']) {
      assert.doesNotMatch(instanceLook({ ...base, status }).icon, /~spin$/, status);
    }
  });

  it('names the status in the description only where the icon does not make it obvious, first, so a narrow sidebar keeps it', () => {
    assert.strictEqual(instanceLook(base).description, 't3.medium');
    assert.strictEqual(instanceLook({ ...base, status: 'Pending' }).description, 'Pending · t3.medium');
    assert.strictEqual(instanceLook({ ...base, status: 'Updating', instanceType: undefined }).description, 'Updating');
    assert.match(instanceLook(base).tooltip, /ml\.t3\.medium/, 'the full type stays in the tooltip');
  });

  it('puts ARN, failure reason, host and times in the tooltip', () => {
    const look = instanceLook({ ...base, status: 'Failed', failureReason: 'Role | missing' }, new Date('2026-11-23T10:00:00Z'));
    assert.match(look.tooltip, /arn:aws:sagemaker:us-east-1:123456789012:notebook-instance\/my-nb/);
    assert.match(look.tooltip, /Role \\\| missing/);
    assert.match(look.tooltip, /my-nb\.notebook\.us-east-1\.sagemaker\.aws/);
    assert.match(look.tooltip, /3 days ago \(2026-11-20 10:00:00 UTC\)/);
  });

  it('opens on a click when InService, offers to start and open when Stopped, and does nothing otherwise', () => {
    assert.strictEqual(instanceLook(base).opensOnClick, true);
    assert.strictEqual(instanceLook({ ...base, status: 'Stopped' }).opensOnClick, true);
    assert.match(instanceLook({ ...base, status: 'Stopped' }).tooltip, /Click to start and open\.$/);
    for (const status of ['Pending', 'Stopping', 'Updating', 'Deleting', 'Failed']) {
      assert.strictEqual(instanceLook({ ...base, status }).opensOnClick, false, status);
      assert.doesNotMatch(instanceLook({ ...base, status }).tooltip, /Click to/, status);
    }
  });

  it('gives screen readers the name, status and type', () => {
    assert.strictEqual(instanceLook(base).accessibilityLabel, 'my-nb, InService, ml.t3.medium');
  });
});

describe('relativeTime', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  it('rounds down to the largest unit', () => {
    assert.strictEqual(relativeTime(new Date('2026-11-23T11:59:30Z'), now), 'just now');
    assert.strictEqual(relativeTime(new Date('2026-11-23T11:58:00Z'), now), '2 minutes ago');
    assert.strictEqual(relativeTime(new Date('2026-11-23T11:00:00Z'), now), '1 hour ago');
    assert.strictEqual(relativeTime(new Date('2026-11-24T12:00:00Z'), now), 'in 1 day');
  });
});

describe('instanceLook: running time and platform (issue 21)', () => {
  const now = new Date('2026-11-20T13:05:00Z');
  it('says how long an InService instance has been running, in the description and the tooltip', () => {
    const look = instanceLook({ ...base, lastModifiedTime: new Date('2026-11-20T10:00:00Z') }, now);
    assert.strictEqual(look.description, 't3.medium · up 3 h 5 min');
    assert.match(look.tooltip, /\| Running for \| 3 h 5 min \(since 2026-11-20 10:00:00 UTC\) \|/);
    assert.strictEqual(
      instanceLook({ ...base, status: 'Stopped', lastModifiedTime: new Date('2026-11-20T10:00:00Z') }, now).description,
      't3.medium',
    );
  });

  it('shows the platform in the tooltip and marks Amazon Linux 2', () => {
    const al2 = instanceLook({ ...base, status: 'Stopped', platformIdentifier: 'notebook-al2-v3' }, now);
    assert.strictEqual(al2.description, 't3.medium · AL2');
    assert.match(al2.tooltip, /\| Platform \| notebook-al2-v3 ⚠ Amazon Linux 2, being retired/);
    const al2023 = instanceLook({ ...base, status: 'Stopped', platformIdentifier: 'notebook-al2023-v1' }, now);
    assert.strictEqual(al2023.description, 't3.medium');
    assert.match(al2023.tooltip, /notebook-al2023-v1 \(Amazon Linux 2023\)/);
  });
});
