// The JSON Schema every rule's metadata must satisfy; the catalog validates each rule it finds.

import { SEVERITIES } from '../model/finding.js';
import { RESOURCE_KINDS } from '../model/resource.js';
import { RULE_CATEGORIES } from './rule.js';

export const RULE_METADATA_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['id', 'slug', 'title', 'description', 'severity', 'category', 'kinds', 'references', 'remediation', 'tags'],
  properties: {
    id: { type: 'string', pattern: '^(AWS|AZ|GCP)-[A-Z0-9]{2,4}-\\d{3}$' },
    slug: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
    title: { type: 'string', minLength: 10, maxLength: 120 },
    description: { type: 'string', minLength: 20, maxLength: 1024 },
    severity: { enum: [...SEVERITIES] },
    category: { enum: [...RULE_CATEGORIES] },
    kinds: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...RESOURCE_KINDS] } },
    references: {
      type: 'array',
      items: {
        type: 'object',
        required: ['framework', 'benchmark', 'version', 'control'],
        properties: {
          framework: { enum: ['cis-aws', 'cis-azure', 'cis-gcp', 'aws-fsbp', 'azure-mcsb'] },
          benchmark: { type: 'string', minLength: 3 },
          version: { type: 'string', pattern: '^\\d+(\\.\\d+)*$' },
          control: { type: 'string', minLength: 1 },
          title: { type: 'string' },
        },
        additionalProperties: false,
      },
    },
    remediation: { type: 'string', minLength: 20 },
    // GitHub code scanning keeps at most 20 tags per rule; 'security' and the cloud are added by the SARIF writer.
    tags: { type: 'array', maxItems: 16, uniqueItems: true, items: { type: 'string', pattern: '^[a-z0-9-]+$' } },
  },
  additionalProperties: true,
} as const;
