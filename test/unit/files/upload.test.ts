import * as assert from 'assert';
import { temporaryNames } from '../../../src/files/upload';

describe('the temporary files of a chunked save', () => {
  it('sit beside the target under visible names (Jupyter refuses hidden ones) that say what they are', () => {
    assert.deepStrictEqual(temporaryNames('data/big.csv', '0a1b2c3d'), {
      upload: 'data/big.csv.0a1b2c3d.sagemaker-upload',
      previous: 'data/big.csv.0a1b2c3d.sagemaker-previous',
    });
    assert.deepStrictEqual(temporaryNames('top.bin', 'ffffffff'), {
      upload: 'top.bin.ffffffff.sagemaker-upload',
      previous: 'top.bin.ffffffff.sagemaker-previous',
    });
  });

  it('differ from one save to the next', () => {
    assert.notStrictEqual(temporaryNames('a.bin').upload, temporaryNames('a.bin').upload);
  });
});
