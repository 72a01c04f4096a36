import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guessFormat } from './guess';

describe('guessFormat', () => {
  it('recognizes a CloudFormation template', () => {
    const t = readFileSync(new URL('../../../pkg/interop/testdata/cloudformation/web-app.yaml', import.meta.url), 'utf8');
    expect(guessFormat('web-app.yaml', t)).toBe('cloudformation');
  });
  it('recognizes OTM, Terraform plans and Threat Composer', () => {
    expect(guessFormat('x.json', '{"otmVersion":"0.2.0"}')).toBe('otm');
    expect(guessFormat('plan.json', '{"format_version":"1.2","terraform_version":"1.9.0"}')).toBe('terraform');
    expect(guessFormat('tc.json', '{"schema":1,"applicationInfo":{},"threats":[]}')).toBe('threatcomposer');
    expect(guessFormat('notes.txt', 'hello')).toBeNull();
  });
});
