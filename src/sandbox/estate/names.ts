// The vocabulary the sandbox estate is named from: applications, teams, people, environments and
// the clouds' own naming conventions, so generated resources read like a real company's.

export const APPS = [
  'checkout',
  'payments',
  'catalog',
  'search',
  'auth',
  'billing',
  'inventory',
  'orders',
  'notifications',
  'reporting',
  'analytics',
  'gateway',
  'ledger',
  'shipping',
  'pricing',
  'recommend',
  'media',
  'profile',
  'chat',
  'etl',
  'ml-train',
  'warehouse',
  'crm',
  'portal',
] as const;

export const TEAMS = ['platform', 'payments', 'data', 'growth', 'identity', 'search', 'infra', 'mobile', 'commerce', 'ml'] as const;

export const ENVS = ['prod', 'staging', 'dev', 'test'] as const;
export const ENV_WEIGHTS = [0.45, 0.2, 0.25, 0.1] as const;

export const FIRST_NAMES = [
  'ana',
  'ben',
  'chen',
  'dara',
  'eli',
  'fatima',
  'goran',
  'hana',
  'ivan',
  'jules',
  'kofi',
  'lena',
  'marco',
  'nadia',
  'omar',
  'priya',
  'quinn',
  'rosa',
  'sami',
  'tomas',
  'uma',
  'viktor',
  'wen',
  'yusuf',
  'zoe',
] as const;

export const LAST_NAMES = [
  'alvarez',
  'brooks',
  'costa',
  'dubois',
  'eriksen',
  'fischer',
  'garcia',
  'haddad',
  'ito',
  'jansen',
  'kowalski',
  'larsen',
  'moreau',
  'nakamura',
  'okafor',
  'patel',
  'rossi',
  'singh',
  'tanaka',
  'weber',
] as const;

export const COMPANY_DOMAIN = 'example.com';

/** Workload tiers; rules treat `data` and `db` as sensitive (no public addresses). */
export const TIERS = ['web', 'app', 'batch', 'cache', 'data', 'db'] as const;
export type Tier = (typeof TIERS)[number];
export const TIER_WEIGHTS = [0.28, 0.34, 0.1, 0.06, 0.12, 0.1] as const;

export const COST_CENTERS = ['CC-1001', 'CC-1002', 'CC-2040', 'CC-2310', 'CC-3100', 'CC-4200', 'CC-5155', 'CC-7001'] as const;

// ---- AWS ------------------------------------------------------------------------------------

/**
 * Regions every account has without opting in: those launched before March 2019. Every later
 * region is opt-in (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html).
 */
export const AWS_DEFAULT_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
  'ap-northeast-3',
] as const;

/**
 * The default regions the generator places workloads in: all but Osaka, which joined the list
 * later; leaving it out keeps every seed's estate as it was.
 */
export const AWS_STANDARD_REGIONS = AWS_DEFAULT_REGIONS.filter((region) => region !== 'ap-northeast-3');

/** Regions an account must opt into (DescribeRegions OptInStatus opted-in / not-opted-in). */
export const AWS_OPT_IN_REGIONS = ['af-south-1', 'ap-east-1', 'eu-south-1', 'me-south-1'] as const;

/** Current-generation instance types by rough size (vCPUs 2, 4, 8, 16). */
export const AWS_TYPES_CURRENT = {
  small: ['t3.small', 't3.medium', 't4g.medium', 'm6i.large', 'c6i.large', 'm7g.large'],
  medium: ['m6i.xlarge', 'c6i.xlarge', 'r6i.xlarge', 'm7g.xlarge', 't3.xlarge'],
  large: ['m6i.2xlarge', 'c6i.2xlarge', 'r6i.2xlarge', 'm7i.2xlarge'],
  xlarge: ['m6i.4xlarge', 'c6i.4xlarge', 'r6i.4xlarge', 'm7i.4xlarge'],
} as const;
export const AWS_TYPES_PREVIOUS = [
  'm4.large',
  'm4.xlarge',
  'c4.large',
  'c4.2xlarge',
  'r4.xlarge',
  't2.medium',
  't2.large',
  'm3.medium',
] as const;

export const RDS_ENGINES = [
  { engine: 'postgres', versions: ['16.4', '16.6', '15.8'], port: 5432 },
  { engine: 'mysql', versions: ['8.0.39', '8.0.40', '8.4.3'], port: 3306 },
  { engine: 'aurora-postgresql', versions: ['16.4'], port: 5432 },
] as const;
export const RDS_CLASSES = ['db.t4g.medium', 'db.m6g.large', 'db.m6i.large', 'db.r6g.large', 'db.r6g.xlarge', 'db.m7g.xlarge'] as const;

export const ELB_MODERN_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
export const ELB_OLD_POLICIES = [
  'ELBSecurityPolicy-2016-08',
  'ELBSecurityPolicy-TLS-1-0-2015-04',
  'ELBSecurityPolicy-TLS-1-1-2017-01',
] as const;

/** Ports a planted world-open database rule exposes. */
export const DB_PORTS = [3306, 5432, 1433, 27017, 6379] as const;
/** Ports a planted world-open admin rule exposes. */
export const ADMIN_PORTS = [22, 3389] as const;

// ---- Azure ----------------------------------------------------------------------------------

export const AZURE_LOCATIONS = [
  'eastus',
  'eastus2',
  'westus2',
  'centralus',
  'westeurope',
  'northeurope',
  'uksouth',
  'southeastasia',
] as const;
export const AZURE_SIZES_CURRENT = {
  small: ['Standard_B2s', 'Standard_D2s_v5', 'Standard_D2as_v5', 'Standard_E2s_v5'],
  medium: ['Standard_D4s_v5', 'Standard_D4as_v5', 'Standard_E4s_v5', 'Standard_D4ds_v5'],
  large: ['Standard_D8s_v5', 'Standard_E8s_v5', 'Standard_D8as_v5'],
  xlarge: ['Standard_D16s_v5', 'Standard_E16s_v5'],
} as const;
export const AZURE_SIZES_PREVIOUS = [
  'Standard_A2',
  'Standard_D2_v2',
  'Standard_D3_v2',
  'Standard_DS2_v2',
  'Standard_D1_v2',
  'Standard_A4_v2',
] as const;
export const AZURE_SUBSCRIPTION_NAMES = ['Production', 'Development', 'Shared Services'] as const;

// ---- GCP ------------------------------------------------------------------------------------

export const GCP_REGIONS = ['us-central1', 'us-east1', 'us-west1', 'europe-west1', 'europe-west4', 'asia-southeast1'] as const;
export const GCP_TYPES_CURRENT = {
  small: ['e2-medium', 'e2-standard-2', 'n2-standard-2', 't2d-standard-2'],
  medium: ['e2-standard-4', 'n2-standard-4', 'n2d-standard-4', 'c3-standard-4'],
  large: ['n2-standard-8', 'n2d-standard-8', 'c3-standard-8'],
  xlarge: ['n2-standard-16', 'n2-highmem-16', 'c3-standard-22'],
} as const;
export const GCP_TYPES_PREVIOUS = ['n1-standard-1', 'n1-standard-2', 'n1-standard-4', 'n1-highmem-2', 'g1-small', 'n1-highcpu-2'] as const;
/**
 * Every previous-generation type above has a cheaper current equivalent of the same size (Basic_A1
 * and f1-micro, which have none, are left out). These are the ones with a smaller size in their own
 * family too: an oversized previous-generation machine is one of them, so it can be sized down.
 */
export const AWS_TYPES_PREVIOUS_SIZABLE = ['m4.xlarge', 'c4.2xlarge', 'r4.xlarge', 't2.medium', 't2.large'] as const;
export const AZURE_SIZES_PREVIOUS_SIZABLE = [
  'Standard_A2',
  'Standard_D2_v2',
  'Standard_D3_v2',
  'Standard_DS2_v2',
  'Standard_A4_v2',
] as const;
export const GCP_TYPES_PREVIOUS_SIZABLE = ['n1-standard-2', 'n1-standard-4'] as const;
export const GCP_PROJECT_STEMS = ['prod', 'data', 'sandbox'] as const;
export const GCP_NETWORKS = ['prod-vpc', 'shared-vpc', 'data-vpc'] as const;

export const INSTANCE_SIZES = ['small', 'medium', 'large', 'xlarge'] as const;
export type InstanceSize = (typeof INSTANCE_SIZES)[number];
