import * as assert from 'assert';
import { _InstanceType } from '@aws-sdk/client-sagemaker';
import {
  instanceTypeGroups,
  instanceTypeProblem,
  INSTANCE_TYPES,
  isAl2,
  sageMakerCanAssume,
  validateCodeRepository,
  validateName,
  validateRoleArn,
  validateVolume,
} from '../../../src/manage/rules';

describe('manage rules (what CreateNotebookInstance accepts)', () => {
  it('offers exactly the instance types of the SDK model', () => {
    assert.deepStrictEqual([...INSTANCE_TYPES].sort(), (Object.values(_InstanceType) as string[]).sort());
  });

  it('checks the name against the API pattern and length as the user types', () => {
    assert.strictEqual(validateName('my-notebook-1'), undefined);
    assert.match(validateName('')!, /Enter a name/);
    assert.match(validateName('under_score')!, /Letters, digits and hyphens/);
    assert.match(validateName('-leading')!, /start and end/);
    assert.match(validateName('a'.repeat(64))!, /At most 63 characters \(64 now\)/);
    assert.strictEqual(validateName('a'.repeat(63)), undefined);
  });

  it('checks a typed role ARN, the volume size and the code repository', () => {
    assert.strictEqual(validateRoleArn('arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-1'), undefined);
    assert.match(validateRoleArn('arn:aws:iam::1234:role/x')!, /Not an IAM role ARN/);
    assert.match(validateRoleArn('arn:aws:s3:::bucket-name-long-enough')!, /Not an IAM role ARN/);
    assert.strictEqual(validateVolume('5'), undefined);
    assert.match(validateVolume('4')!, /At least 5 GB/);
    assert.match(validateVolume('16385')!, /At most 16384 GB/);
    assert.match(validateVolume('10', 20)!, /can only grow: at least 20 GB/);
    assert.match(validateVolume('1.5')!, /whole number/);
    assert.strictEqual(validateCodeRepository(''), undefined);
    assert.strictEqual(validateCodeRepository('https://github.com/aws/amazon-sagemaker-examples.git'), undefined);
    assert.strictEqual(validateCodeRepository('my-repo'), undefined);
    assert.match(validateCodeRepository('git@github.com:a/b.git')!, /https:\/\//);
  });

  it('groups instance types and leaves out those Amazon Linux 2023 does not offer', () => {
    const al2023 = instanceTypeGroups('notebook-al2023-v1').flatMap((g) => g.types);
    const al2 = instanceTypeGroups('notebook-al2-v3').flatMap((g) => g.types);
    for (const t of ['ml.p2.xlarge', 'ml.p3.2xlarge', 'ml.p3dn.24xlarge', 'ml.inf1.xlarge']) {
      assert.ok(!al2023.includes(t), t);
      assert.ok(al2.includes(t), t);
      assert.match(instanceTypeProblem(t, 'notebook-al2023-v1')!, /not available on Amazon Linux 2023/);
    }
    assert.strictEqual(instanceTypeProblem('ml.g5.xlarge', 'notebook-al2023-v1'), undefined);
    const standard = instanceTypeGroups('notebook-al2023-v1')[0];
    assert.strictEqual(standard.types[0], 'ml.t2.medium');
    assert.ok(
      standard.types.every((t) => /^ml\.t[23]\./.test(t)),
      `burstable: ${standard.types.join()}`,
    );
    const accelerators = instanceTypeGroups('notebook-al2023-v1').find((g) => g.label.startsWith('Machine learning accelerators'));
    assert.ok(accelerators?.types.includes('ml.trn1.2xlarge'));
    assert.ok(isAl2('notebook-al2-v3') && !isAl2('notebook-al2023-v1'));
  });

  it('tells a role SageMaker can assume from its trust policy', () => {
    const policy = (service: unknown, effect = 'Allow') =>
      encodeURIComponent(
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: effect, Principal: { Service: service }, Action: 'sts:AssumeRole' }],
        }),
      );
    assert.ok(sageMakerCanAssume(policy('sagemaker.amazonaws.com')));
    assert.ok(sageMakerCanAssume(policy(['glue.amazonaws.com', 'sagemaker.amazonaws.com'])));
    assert.ok(!sageMakerCanAssume(policy('lambda.amazonaws.com')));
    assert.ok(!sageMakerCanAssume(policy('sagemaker.amazonaws.com', 'Deny')));
    assert.ok(!sageMakerCanAssume('%7Bnot json'));
  });
});
