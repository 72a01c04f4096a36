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
    const names = ['browser', 'user', 'mobile-app', 'external-service', 'on-premises-datacenter', 'web-server', 'database', 'message-queue', 'identity-provider'];
    expect(names.map((n) => genericIconKey(`generic/${n}`))).toEqual(['browser', 'user', 'mobile', 'external', 'datacenter', 'server', 'database', 'queue', 'identity']);
  });
});
