// The api-versions ARM accepts for each resource type the sandbox serves. ARM refuses any other
// version (a date in the future included), listing these in its error, so a client pinned to an
// older SDK (virtualMachines 2022-08-01, disks 2022-07-02, network 2022-07-01, subscriptions
// 2021-01-01) is served and a made-up version is not. Each list holds the versions the resource
// provider publishes (azure-rest-api-specs `stable/` folders, and the lists ARM prints in its own
// NoRegisteredProviderFound errors) and the version the installed SDK sends (read from
// node_modules/@azure/arm-*: compute 24.1 sends virtualMachines 2026-03-01 and disks/snapshots
// 2025-01-02, network 36.0 sends 2025-05-01, resources-subscriptions 2.1 sends 2022-12-01).

// biome-ignore format: a version table reads better packed
const COMPUTE_VM = [
  '2015-05-01-preview', '2015-06-15', '2016-03-30', '2016-04-30-preview', '2016-08-30', '2017-03-30', '2017-12-01',
  '2018-04-01', '2018-06-01', '2018-10-01', '2019-03-01', '2019-07-01', '2019-12-01', '2020-06-01', '2020-12-01',
  '2021-03-01', '2021-04-01', '2021-07-01', '2021-11-01', '2022-03-01', '2022-08-01', '2022-11-01', '2023-03-01',
  '2023-07-01', '2023-09-01', '2024-03-01', '2024-07-01', '2024-11-01', '2025-04-01', '2026-03-01',
];

// biome-ignore format: a version table reads better packed
const COMPUTE_DISK = [
  '2016-04-30-preview', '2017-03-30', '2018-04-01', '2018-06-01', '2018-09-30', '2019-03-01', '2019-07-01', '2019-11-01',
  '2020-05-01', '2020-06-30', '2020-09-30', '2020-12-01', '2021-04-01', '2021-08-01', '2021-12-01', '2022-03-02',
  '2022-07-02', '2023-01-02', '2023-04-02', '2023-10-02', '2024-03-02', '2025-01-02',
];

// biome-ignore format: a version table reads better packed
const NETWORK = [
  '2014-12-01-preview', '2015-05-01-preview', '2015-06-15', '2016-03-30', '2016-06-01', '2016-07-01', '2016-08-01',
  '2016-09-01', '2016-10-01', '2016-11-01', '2016-12-01', '2017-03-01', '2017-04-01', '2017-06-01', '2017-08-01',
  '2017-09-01', '2017-10-01', '2017-11-01', '2018-01-01', '2018-02-01', '2018-03-01', '2018-04-01', '2018-05-01',
  '2018-06-01', '2018-07-01', '2018-08-01', '2018-10-01', '2018-11-01', '2018-12-01', '2019-02-01', '2019-04-01',
  '2019-06-01', '2019-07-01', '2019-08-01', '2019-09-01', '2019-11-01', '2019-12-01', '2020-03-01', '2020-04-01',
  '2020-05-01', '2020-06-01', '2020-07-01', '2020-08-01', '2020-11-01', '2021-02-01', '2021-03-01', '2021-05-01',
  '2021-08-01', '2022-01-01', '2022-05-01', '2022-07-01', '2022-09-01', '2022-11-01', '2023-02-01', '2023-04-01',
  '2023-05-01', '2023-06-01', '2023-09-01', '2023-11-01', '2024-01-01', '2024-03-01', '2024-05-01', '2024-07-01',
  '2024-10-01', '2025-01-01', '2025-03-01', '2025-05-01',
];

/** Microsoft.Resources (subscriptions, locations): ARM's own front end answers these. */
// biome-ignore format: a version table reads better packed
const RESOURCES = [
  '2013-03-01', '2014-01-01', '2014-02-26', '2014-04-01', '2014-04-01-preview', '2015-01-01', '2015-11-01', '2016-02-01',
  '2016-06-01', '2016-07-01', '2016-09-01', '2017-03-01', '2017-05-01', '2017-05-10', '2017-06-01', '2017-08-01',
  '2017-12-01', '2018-01-01', '2018-02-01', '2018-05-01', '2018-06-01', '2018-07-01', '2018-08-01', '2018-09-01',
  '2018-11-01', '2019-03-01', '2019-05-01', '2019-05-10', '2019-06-01', '2019-07-01', '2019-08-01', '2019-09-01',
  '2019-10-01', '2019-11-01', '2020-01-01', '2020-05-01', '2020-06-01', '2020-07-01', '2020-08-01', '2020-09-01',
  '2020-10-01', '2021-01-01', '2021-04-01', '2022-01-01', '2022-09-01', '2022-12-01',
];

/** The ARM resource types the sandbox serves. */
export type ArmListType =
  | 'Microsoft.Compute/virtualMachines'
  | 'Microsoft.Compute/disks'
  | 'Microsoft.Compute/snapshots'
  | 'Microsoft.Network/networkSecurityGroups'
  | 'Microsoft.Network/publicIPAddresses'
  | 'Microsoft.Network/networkInterfaces'
  | 'subscriptions';

export const API_VERSIONS: Record<ArmListType, readonly string[]> = {
  'Microsoft.Compute/virtualMachines': COMPUTE_VM,
  'Microsoft.Compute/disks': COMPUTE_DISK,
  'Microsoft.Compute/snapshots': COMPUTE_DISK,
  'Microsoft.Network/networkSecurityGroups': NETWORK,
  'Microsoft.Network/publicIPAddresses': NETWORK,
  'Microsoft.Network/networkInterfaces': NETWORK,
  subscriptions: RESOURCES,
};
