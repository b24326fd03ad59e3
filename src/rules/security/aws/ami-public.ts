// AWS-EC2-014: AMI is public.

import { flagCheck } from '../../attributes.js';
import { defineRule } from '../../rule.js';

export const rule = defineRule({
  id: 'AWS-EC2-014',
  slug: 'ami-public',
  title: 'AMI is public',
  description:
    'The image is launchable by every AWS account. Public AMIs regularly leak credentials, keys and internal software baked into them.',
  severity: 'high',
  kinds: ['aws.ec2.image'],
  references: [],
  remediation:
    'aws ec2 modify-image-attribute --image-id <image-id> --launch-permission "Remove=[{Group=all}]"; and block it account-wide: aws ec2 enable-image-block-public-access --image-block-public-access-state block-new-sharing',
  tags: ['exposure', 'data-sharing'],
  check: (resource) =>
    flagCheck(resource, {
      attribute: 'public',
      bad: true,
      noun: 'AMI',
      failure: 'is public: any AWS account can launch it',
      question: 'is public',
    }),
});
