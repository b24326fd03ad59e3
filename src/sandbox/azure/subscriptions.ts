// Microsoft.Resources subscriptions and their locations, as `az account list` and
// `az account list-locations` see them.

import type { AzureSubscription } from '../estate/types.js';

export function renderSubscription(subscription: AzureSubscription, tenantId: string): unknown {
  return {
    id: `/subscriptions/${subscription.id}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: subscription.id,
    tenantId,
    displayName: subscription.name,
    state: 'Enabled',
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
  };
}

/** Display names and geography of the locations an estate is likely to use. */
const LOCATIONS: Record<
  string,
  { displayName: string; geography: string; group: string; latitude: string; longitude: string; paired: string }
> = {
  eastus: { displayName: 'East US', geography: 'United States', group: 'US', latitude: '37.3719', longitude: '-79.8164', paired: 'westus' },
  eastus2: {
    displayName: 'East US 2',
    geography: 'United States',
    group: 'US',
    latitude: '36.6681',
    longitude: '-78.3889',
    paired: 'centralus',
  },
  westus: { displayName: 'West US', geography: 'United States', group: 'US', latitude: '37.783', longitude: '-122.417', paired: 'eastus' },
  westus2: {
    displayName: 'West US 2',
    geography: 'United States',
    group: 'US',
    latitude: '47.233',
    longitude: '-119.852',
    paired: 'westcentralus',
  },
  westus3: {
    displayName: 'West US 3',
    geography: 'United States',
    group: 'US',
    latitude: '33.448376',
    longitude: '-112.074036',
    paired: 'eastus',
  },
  centralus: {
    displayName: 'Central US',
    geography: 'United States',
    group: 'US',
    latitude: '41.5908',
    longitude: '-93.6208',
    paired: 'eastus2',
  },
  northeurope: {
    displayName: 'North Europe',
    geography: 'Europe',
    group: 'Europe',
    latitude: '53.3478',
    longitude: '-6.2597',
    paired: 'westeurope',
  },
  westeurope: {
    displayName: 'West Europe',
    geography: 'Europe',
    group: 'Europe',
    latitude: '52.3667',
    longitude: '4.9',
    paired: 'northeurope',
  },
  uksouth: {
    displayName: 'UK South',
    geography: 'United Kingdom',
    group: 'Europe',
    latitude: '50.941',
    longitude: '-0.799',
    paired: 'ukwest',
  },
  germanywestcentral: {
    displayName: 'Germany West Central',
    geography: 'Germany',
    group: 'Europe',
    latitude: '50.110924',
    longitude: '8.682127',
    paired: 'germanynorth',
  },
  francecentral: {
    displayName: 'France Central',
    geography: 'France',
    group: 'Europe',
    latitude: '46.3772',
    longitude: '2.3730',
    paired: 'francesouth',
  },
  swedencentral: {
    displayName: 'Sweden Central',
    geography: 'Sweden',
    group: 'Europe',
    latitude: '60.67488',
    longitude: '17.14127',
    paired: 'swedensouth',
  },
  southeastasia: {
    displayName: 'Southeast Asia',
    geography: 'Asia Pacific',
    group: 'Asia Pacific',
    latitude: '1.283',
    longitude: '103.833',
    paired: 'eastasia',
  },
  eastasia: {
    displayName: 'East Asia',
    geography: 'Asia Pacific',
    group: 'Asia Pacific',
    latitude: '22.267',
    longitude: '114.188',
    paired: 'southeastasia',
  },
  japaneast: {
    displayName: 'Japan East',
    geography: 'Japan',
    group: 'Asia Pacific',
    latitude: '35.68',
    longitude: '139.77',
    paired: 'japanwest',
  },
  australiaeast: {
    displayName: 'Australia East',
    geography: 'Australia',
    group: 'Asia Pacific',
    latitude: '-33.86',
    longitude: '151.2094',
    paired: 'australiasoutheast',
  },
  centralindia: {
    displayName: 'Central India',
    geography: 'India',
    group: 'Asia Pacific',
    latitude: '18.5822',
    longitude: '73.9197',
    paired: 'southindia',
  },
  canadacentral: {
    displayName: 'Canada Central',
    geography: 'Canada',
    group: 'Canada',
    latitude: '43.653',
    longitude: '-79.383',
    paired: 'canadaeast',
  },
  brazilsouth: {
    displayName: 'Brazil South',
    geography: 'Brazil',
    group: 'South America',
    latitude: '-23.55',
    longitude: '-46.633',
    paired: 'southcentralus',
  },
};

export function renderLocation(subscriptionId: string, name: string): unknown {
  const known = LOCATIONS[name];
  const displayName = known?.displayName ?? name;
  return {
    id: `/subscriptions/${subscriptionId}/locations/${name}`,
    name,
    type: 'Region',
    displayName,
    regionalDisplayName: known ? `(${known.group}) ${displayName}` : displayName,
    metadata: {
      regionType: 'Physical',
      regionCategory: 'Recommended',
      ...(known
        ? {
            geography: known.geography,
            geographyGroup: known.group,
            longitude: known.longitude,
            latitude: known.latitude,
            physicalLocation: displayName,
            pairedRegion: [{ name: known.paired, id: `/subscriptions/${subscriptionId}/locations/${known.paired}` }],
          }
        : {}),
    },
  };
}
