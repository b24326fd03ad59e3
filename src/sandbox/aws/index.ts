// The sandbox's AWS services, one module each, routed by the SigV4 credential scope's service name.

import type { SandboxService } from '../server/types.js';
import { cloudwatch } from './cloudwatch.js';
import { costExplorerService } from './costexplorer.js';
import { ec2 } from './ec2.js';
import { elbv2 } from './elbv2.js';
import { organizations } from './organizations.js';
import { rds } from './rds.js';
import { s3 } from './s3.js';
import { sts } from './sts.js';

export const services: SandboxService[] = [ec2, sts, organizations, rds, elbv2, s3, costExplorerService, cloudwatch];
