import { describe, expect, it } from 'vitest';
import { showsType } from './labels';

describe('showsType: a container header does not repeat name and type (#17.15)', () => {
  const cases: [string, string | undefined, boolean][] = [
    ['Amazon VPC', 'Amazon VPC', false],
    ['shop-vpc', 'Amazon VPC', false],
    ['VPC', 'Amazon VPC', false],
    ['private-subnet-a', 'Subnet', false],
    ['web tier', 'Security group', true],
    ['orders', 'Amazon ECS cluster / service', true],
    ['orders', undefined, false],
  ];
  for (const [name, type, want] of cases) it(`${name} / ${type ?? '-'} → ${want}`, () => expect(showsType(name, type)).toBe(want));
});
