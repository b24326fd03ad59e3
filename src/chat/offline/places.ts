// Regions in a question: a cloud's own code (eu-west-1, westeurope, europe-west1, a GCP zone), or a
// city or area a region is named after. A city names one region per cloud; when the question names
// no cloud it stands for each cloud's region there (all of them, never a guess at one).
// Sources: the clouds' region pages (AWS "Regions and Availability Zones", Azure "Azure geographies",
// GCP "Regions and zones"), 2026.

import { KNOWN_REGIONS } from '../../model/regions.js';
import type { Cloud } from '../../model/resource.js';

type PerCloud = Partial<Record<Cloud, string>>;

/** Place names (lower case, as typed) → the region each cloud has there. */
export const PLACES: Record<string, PerCloud> = {
  frankfurt: { aws: 'eu-central-1', azure: 'germanywestcentral', gcp: 'europe-west3' },
  ireland: { aws: 'eu-west-1', azure: 'northeurope' },
  dublin: { aws: 'eu-west-1', azure: 'northeurope' },
  london: { aws: 'eu-west-2', azure: 'uksouth', gcp: 'europe-west2' },
  paris: { aws: 'eu-west-3', azure: 'francecentral', gcp: 'europe-west9' },
  milan: { aws: 'eu-south-1', azure: 'italynorth', gcp: 'europe-west8' },
  stockholm: { aws: 'eu-north-1' },
  zurich: { aws: 'eu-central-2', azure: 'switzerlandnorth', gcp: 'europe-west6' },
  netherlands: { azure: 'westeurope', gcp: 'europe-west4' },
  amsterdam: { azure: 'westeurope' },
  belgium: { gcp: 'europe-west1' },
  virginia: { aws: 'us-east-1', azure: 'eastus', gcp: 'us-east4' },
  ohio: { aws: 'us-east-2', gcp: 'us-east5' },
  oregon: { aws: 'us-west-2', gcp: 'us-west1' },
  california: { aws: 'us-west-1', azure: 'westus', gcp: 'us-west2' },
  iowa: { azure: 'centralus', gcp: 'us-central1' },
  'south carolina': { gcp: 'us-east1' },
  montreal: { aws: 'ca-central-1', gcp: 'northamerica-northeast1' },
  toronto: { azure: 'canadacentral', gcp: 'northamerica-northeast2' },
  'sao paulo': { aws: 'sa-east-1', azure: 'brazilsouth', gcp: 'southamerica-east1' },
  tokyo: { aws: 'ap-northeast-1', azure: 'japaneast', gcp: 'asia-northeast1' },
  osaka: { aws: 'ap-northeast-3', azure: 'japanwest', gcp: 'asia-northeast2' },
  seoul: { aws: 'ap-northeast-2', azure: 'koreacentral', gcp: 'asia-northeast3' },
  singapore: { aws: 'ap-southeast-1', azure: 'southeastasia', gcp: 'asia-southeast1' },
  sydney: { aws: 'ap-southeast-2', azure: 'australiaeast', gcp: 'australia-southeast1' },
  mumbai: { aws: 'ap-south-1', azure: 'westindia', gcp: 'asia-south1' },
  'hong kong': { aws: 'ap-east-1', azure: 'eastasia', gcp: 'asia-east2' },
  jakarta: { aws: 'ap-southeast-3', gcp: 'asia-southeast2' },
  bahrain: { aws: 'me-south-1' },
  'cape town': { aws: 'af-south-1', azure: 'southafricawest' },
};

const ZONE = /^([a-z]+-[a-z]+\d+)-[a-f]$/;

/** The cloud a region code belongs to, when it is one of the known public regions (or a GCP zone). */
export function cloudOfRegion(code: string): Cloud | undefined {
  for (const cloud of ['aws', 'azure', 'gcp'] as const) {
    if (KNOWN_REGIONS[cloud].includes(code)) return cloud;
  }
  const zone = ZONE.exec(code);
  if (zone && KNOWN_REGIONS.gcp.includes(zone[1])) return 'gcp';
  return undefined;
}

/** The regions a place stands for: the one of `cloud` when the question names it, else every cloud's. */
export function regionsOfPlace(place: string, cloud: Cloud | undefined): string[] {
  const perCloud = PLACES[place] ?? {};
  if (cloud) return perCloud[cloud] ? [perCloud[cloud]] : [];
  return (['aws', 'azure', 'gcp'] as const).flatMap((c) => (perCloud[c] ? [perCloud[c]] : []));
}
