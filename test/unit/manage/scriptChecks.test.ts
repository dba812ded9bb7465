import * as assert from 'assert';
import { base64Length, checkScript } from '../../../src/manage/scriptChecks';

const codes = (text: string, al2023 = true) => checkScript(text, { al2023 }).map((p) => `${p.code}@${p.line}`);

describe('lifecycle script checks', () => {
  it('passes a clean AL2023 script with the long work in the background', () => {
    assert.deepStrictEqual(codes('#!/bin/bash\nset -e\nnohup pip install pandas &\nsudo dnf install -y htop &\necho ok\n'), []);
  });

  it('finds Windows line endings', () => {
    const [p] = checkScript('#!/bin/bash\r\necho hi\r\n');
    assert.strictEqual(p.code, 'crlf');
    assert.strictEqual(p.severity, 'error');
    assert.strictEqual(p.line, 0);
  });

  it('finds a script over 16384 characters, counting the base64 the API checks', () => {
    assert.strictEqual(base64Length('abc'), 4);
    assert.deepStrictEqual(codes(`#!/bin/bash\n# ${'x'.repeat(12300)}\n`), ['tooLong@2']);
    assert.deepStrictEqual(codes(`#!/bin/bash\n# ${'x'.repeat(12000)}\n`), []);
  });

  it('finds yum and initctl on AL2023 only, at the command', () => {
    const text = '#!/bin/bash\nsudo yum install -y htop &\nsudo initctl restart jupyter-server\necho "yummy"\n';
    const problems = checkScript(text, { al2023: true });
    assert.deepStrictEqual(
      problems.map((p) => `${p.code}@${p.line}:${p.start}-${p.end}`),
      ['yum@1:5-8', 'initctl@2:5-12'],
    );
    assert.deepStrictEqual(codes(text, false), []);
  });

  it('finds a long-running command in the foreground, not in comments', () => {
    assert.deepStrictEqual(codes('#!/bin/bash\n# pip install x\npip install -r requirements.txt\ngit clone https://x/y.git\n'), [
      'foreground@2',
      'foreground@3',
    ]);
  });

  it('asks for a shebang on the first non-empty line', () => {
    assert.deepStrictEqual(codes('\nset -e\necho hi\n'), ['shebang@1']);
  });
});
