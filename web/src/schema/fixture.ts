// A small catalog for unit tests only; the app reads GET /api/v1/catalog.
import type { Catalog } from './catalog';

export const fixtureCatalog: Catalog = {
  componentTypes: [
    {
      id: 'aws.ec2', name: 'Amazon EC2', category: 'Compute', icon: 'architecture-service/AmazonEC2', canContain: true,
      properties: [
        { name: 'instanceType', type: 'string', default: 't3.micro' },
        { name: 'imdsv2', type: 'boolean', default: true },
      ],
    },
    {
      id: 'aws.alb', name: 'Application Load Balancer', category: 'Networking', icon: 'resource/ElasticLoadBalancingApplicationLoadBalancer',
      properties: [{ name: 'scheme', type: 'enum', enum: ['internet-facing', 'internal'], default: 'internet-facing' }],
    },
    { id: 'aws.rds', name: 'Amazon RDS', category: 'Database', icon: 'architecture-service/AmazonRDS', dataStore: true },
    { id: 'generic.browser', name: 'Browser / user', category: 'Generic', icon: 'generic/browser' },
    {
      id: 'generic.database', name: 'Database', category: 'Generic', icon: 'generic/database', dataStore: true,
      properties: [{ name: 'dataElements', type: 'list', default: [] }],
    },
  ],
  protocols: [
    { id: 'HTTPS', name: 'HTTPS (HTTP over TLS)', defaultPort: 443, encrypted: true },
    { id: 'HTTP', name: 'HTTP (plaintext)', defaultPort: 80, encrypted: false },
    { id: 'PostgreSQL', name: 'PostgreSQL wire protocol', defaultPort: 5432, encrypted: false },
  ],
};
