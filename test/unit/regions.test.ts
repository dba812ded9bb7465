import * as assert from 'assert';
import { regionsForProfile, withProfileRegions } from '../../src/aws/regions';

describe('regions per profile', () => {
  it("uses the profile's own choice, and leaves other profiles to theirs", () => {
    const byProfile = { team: ['eu-west-1'], default: ['us-east-1', 'us-west-2'] };
    assert.deepStrictEqual(regionsForProfile('team', byProfile, []), { regions: ['eu-west-1'], from: 'profile' });
    assert.deepStrictEqual(regionsForProfile('default', byProfile, []), { regions: ['us-east-1', 'us-west-2'], from: 'profile' });
  });

  it('keeps the older plain list as the default for every profile without its own entry', () => {
    assert.deepStrictEqual(regionsForProfile('team', { other: ['eu-west-1'] }, ['ap-south-1']), { regions: ['ap-south-1'], from: 'shared' });
    assert.deepStrictEqual(regionsForProfile('team', undefined, ['ap-south-1']), { regions: ['ap-south-1'], from: 'shared' });
  });

  it("lets an empty list of the profile's own mean its region, even where the older list is set", () => {
    assert.deepStrictEqual(regionsForProfile('team', { team: [] }, ['ap-south-1']), { regions: [], from: 'profile' });
    assert.deepStrictEqual(regionsForProfile('team', {}, []), { regions: [], from: 'none' });
  });

  it('ignores values of the wrong shape and keys inherited from Object', () => {
    assert.deepStrictEqual(regionsForProfile('constructor', {}, []), { regions: [], from: 'none' });
    assert.deepStrictEqual(regionsForProfile('team', ['eu-west-1'], 'us-east-1'), { regions: [], from: 'none' });
    assert.deepStrictEqual(regionsForProfile('team', { team: 'eu-west-1' }, [' us-east-1 ', 7, '']), { regions: ['us-east-1'], from: 'shared' });
  });

  it("replaces only the active profile's entry", () => {
    assert.deepStrictEqual(withProfileRegions({ default: ['us-east-1'], broken: 'x' }, 'team', ['eu-west-1']), { default: ['us-east-1'], team: ['eu-west-1'] });
    assert.deepStrictEqual(withProfileRegions(undefined, 'team', []), { team: [] });
  });
});
