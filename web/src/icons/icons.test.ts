import { describe, expect, it } from 'vitest';
import { genericIconKey } from './GenericIcon';
import { awsIconUrl } from './awsIcons';

describe('icons', () => {
  it('finds AWS icons by their aws-icons path', () => {
    expect(awsIconUrl('architecture-service/AmazonEC2')).toMatch(/AmazonEC2.*\.svg/);
    expect(awsIconUrl('resource/ElasticLoadBalancingApplicationLoadBalancer')).toBeTruthy();
    expect(awsIconUrl('architecture-service/NoSuchThing')).toBeUndefined();
  });
  it('maps every generic component the toolbox offers to its own icon', () => {
    const names = ['browser', 'user', 'mobile-app', 'external-service', 'on-premises', 'web-server', 'database', 'message-queue', 'identity-provider', 'threat-model', 'component'];
    expect(names.map((n) => genericIconKey(`generic/${n}`))).toEqual(['browser', 'user', 'mobile', 'external', 'datacenter', 'server', 'database', 'queue', 'identity', 'threat-model', 'component']);
    expect(genericIconKey('generic/something-new')).toBe('component');
  });
});

describe('icons of the catalog in rules/', () => {
  it('draws every generic icon the catalog names, and finds every AWS icon', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const rules = new URL('../../../rules/', import.meta.url);
    const generic = readFileSync(new URL('generic.yaml', rules), 'utf8');
    const names = [...generic.matchAll(/icon: generic\/(\S+)/g)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(5);
    // Only generic/component may use the fallback drawing.
    expect(names.filter((n) => n !== 'component' && genericIconKey(`generic/${n}`) === 'component')).toEqual([]);
    const aws = readdirSync(new URL('aws/', rules)).flatMap((f) =>
      [...readFileSync(new URL(`aws/${f}`, rules), 'utf8').matchAll(/icon: (\S+)/g)].map((m) => m[1]),
    );
    expect(aws.length).toBeGreaterThan(20);
    expect(aws.filter((i) => !awsIconUrl(i))).toEqual([]);
  });
});
