import { describe, expect, it } from 'vitest';
import { sharedPrefix, shortName } from './names';

describe('sharedPrefix', () => {
  const cases: { name: string; names: string[]; want: string }[] = [
    { name: 'built stack names', names: ['shop-microservices-orders', 'shop-microservices-payments', 'shop-microservices-eks', 'shop-microservices-edge/ff8c1d9b'], want: 'shop-microservices-' },
    { name: 'most share it', names: ['shop-eu-app-b01', 'shop-eu-app-b02', 'shop-eu-db', 'nat-0abc', 'shop-eu-web'], want: 'shop-eu-' },
    { name: 'too few names', names: ['shop-a', 'shop-b'], want: '' },
    { name: 'no separator', names: ['orders', 'ordering', 'orderbook'], want: '' },
    { name: 'under 60 %', names: ['a-b-1', 'a-b-2', 'a-b-3', 'x-1', 'y-1', 'z-1'], want: '' },
    { name: 'short prefix ignored', names: ['a-1', 'a-2', 'a-3'], want: '' },
  ];
  for (const c of cases) it(c.name, () => expect(sharedPrefix(c.names)).toBe(c.want));
});

describe('shortName', () => {
  it('drops the prefix, keeps a name that is only the prefix', () => {
    expect(shortName('shop-microservices-orders', 'shop-microservices-')).toBe('orders');
    expect(shortName('shop-microservices-', 'shop-microservices-')).toBe('shop-microservices-');
    expect(shortName('nat-0abc', 'shop-microservices-')).toBe('nat-0abc');
  });
});
