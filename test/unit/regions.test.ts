import * as assert from 'assert';
import { consoleUrl, regionsForProfile, withProfileRegions } from '../../src/aws/regions';

describe('regions per profile', () => {
  it("uses the profile's own choice, and leaves other profiles to theirs", () => {
    const byProfile = { team: ['eu-west-1'], default: ['us-east-1', 'us-west-2'] };
    assert.deepStrictEqual(regionsForProfile('team', byProfile, []), { regions: ['eu-west-1'], from: 'profile' });
    assert.deepStrictEqual(regionsForProfile('default', byProfile, []), { regions: ['us-east-1', 'us-west-2'], from: 'profile' });
  });

  it('keeps the older plain list as the default for every profile without its own entry', () => {
    assert.deepStrictEqual(regionsForProfile('team', { other: ['eu-west-1'] }, ['ap-south-1']), {
      regions: ['ap-south-1'],
      from: 'shared',
    });
    assert.deepStrictEqual(regionsForProfile('team', undefined, ['ap-south-1']), { regions: ['ap-south-1'], from: 'shared' });
  });

  it("lets an empty list of the profile's own mean its region, even where the older list is set", () => {
    assert.deepStrictEqual(regionsForProfile('team', { team: [] }, ['ap-south-1']), { regions: [], from: 'profile' });
    assert.deepStrictEqual(regionsForProfile('team', {}, []), { regions: [], from: 'none' });
  });

  it('ignores values of the wrong shape and keys inherited from Object', () => {
    assert.deepStrictEqual(regionsForProfile('constructor', {}, []), { regions: [], from: 'none' });
    assert.deepStrictEqual(regionsForProfile('team', ['eu-west-1'], 'us-east-1'), { regions: [], from: 'none' });
    assert.deepStrictEqual(regionsForProfile('team', { team: 'eu-west-1' }, [' us-east-1 ', 7, '']), {
      regions: ['us-east-1'],
      from: 'shared',
    });
  });

  it("replaces only the active profile's entry", () => {
    assert.deepStrictEqual(withProfileRegions({ default: ['us-east-1'], broken: 'x' }, 'team', ['eu-west-1']), {
      default: ['us-east-1'],
      team: ['eu-west-1'],
    });
    assert.deepStrictEqual(withProfileRegions(undefined, 'team', []), { team: [] });
  });
});

describe('AWS console addresses', () => {
  it("use each partition's console host: commercial per region, GovCloud and China their own", () => {
    assert.strictEqual(
      consoleUrl('eu-west-1', 'my-nb'),
      'https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/notebook-instances/my-nb',
    );
    assert.strictEqual(
      consoleUrl('us-gov-west-1', 'my-nb'),
      'https://console.amazonaws-us-gov.com/sagemaker/home?region=us-gov-west-1#/notebook-instances/my-nb',
    );
    assert.strictEqual(
      consoleUrl('us-gov-east-1'),
      'https://console.amazonaws-us-gov.com/sagemaker/home?region=us-gov-east-1#/notebook-instances',
    );
    assert.strictEqual(
      consoleUrl('cn-north-1', 'my-nb'),
      'https://console.amazonaws.cn/sagemaker/home?region=cn-north-1#/notebook-instances/my-nb',
    );
    assert.strictEqual(
      consoleUrl('cn-northwest-1'),
      'https://console.amazonaws.cn/sagemaker/home?region=cn-northwest-1#/notebook-instances',
    );
  });
});
