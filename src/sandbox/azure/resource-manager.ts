// Azure Resource Manager as discovery and other clients reach it: subscriptions, locations, and
// VMs, disks, snapshots, NSGs, public IPs and NICs listed by subscription or by resource group,
// read one at a time, and a VM's instanceView. ARM checks the bearer token, then the api-version
// against the versions the resource type has, then the subscription, then hands the request to
// the resource provider; every error uses ARM's {error:{code,message}} envelope.

import type { EstateResource, EstateResourceOf } from '../estate/types.js';
import { estateSlot } from '../server/state.js';
import type { FaultKind, SandboxContext, SandboxRequest, SandboxResponse, SandboxService } from '../server/types.js';
import { API_VERSIONS, type ArmListType } from './api-versions.js';
import { armPage } from './arm-paging.js';
import { armError, armJson } from './arm-protocol.js';
import { renderDisk, renderInstanceView, renderSnapshot, renderVm } from './compute.js';
import { authenticateArmRequest } from './entra.js';
import { renderNic, renderNsg, renderPublicIp } from './network.js';
import { renderLocation, renderSubscription } from './subscriptions.js';

/** The subscription-wide lists this module serves, by the resource type in the path. */

/**
 * Items per page. The VM list pages at 50, as ARM's does (a long-standing, widely reported
 * behaviour of virtualMachines/listAll); the others page at ARM's common 100.
 */
export const DEFAULT_PAGE_SIZES: Record<ArmListType, number> = {
  'Microsoft.Compute/virtualMachines': 50,
  'Microsoft.Compute/disks': 100,
  'Microsoft.Compute/snapshots': 100,
  'Microsoft.Network/networkSecurityGroups': 100,
  'Microsoft.Network/publicIPAddresses': 100,
  'Microsoft.Network/networkInterfaces': 100,
  subscriptions: 100,
};

export interface ResourceManagerOptions {
  /** Override page sizes (tests use small ones to exercise nextLink with small estates). */
  pageSizes?: Partial<Record<ArmListType, number>>;
}

const SUBSCRIPTIONS = /^\/subscriptions\/?$/i;
const SUBSCRIPTION = /^\/subscriptions\/([^/]+)\/?$/i;
const LOCATIONS = /^\/subscriptions\/([^/]+)\/locations\/?$/i;
/** A served resource type, by subscription or resource group, optionally one resource and a VM's instanceView. */
const PROVIDER_PATH =
  /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?\/providers\/(Microsoft\.Compute\/(?:virtualMachines|disks|snapshots)|Microsoft\.Network\/(?:networkSecurityGroups|publicIPAddresses|networkInterfaces))(?:\/([^/]+)(\/instanceView)?)?\/?$/i;

/** Canonical casing of each list type (ARM paths are case-insensitive). */
const CANONICAL_TYPES = new Map<string, ArmListType>(
  (Object.keys(DEFAULT_PAGE_SIZES) as ArmListType[]).map((type) => [type.toLowerCase(), type]),
);

interface ProviderPath {
  subscription: string;
  resourceGroup?: string;
  type: ArmListType;
  name?: string;
  instanceView: boolean;
}

function providerPath(path: string): ProviderPath | undefined {
  const match = PROVIDER_PATH.exec(path);
  if (!match) return undefined;
  const [, subscription, resourceGroup, type, name, instanceView] = match;
  // A single resource lives in a resource group; instanceView is a VM's.
  if (name !== undefined && resourceGroup === undefined) return undefined;
  const canonical = CANONICAL_TYPES.get(type.toLowerCase())!;
  if (instanceView && canonical !== 'Microsoft.Compute/virtualMachines') return undefined;
  return {
    subscription: decodeURIComponent(subscription),
    resourceGroup: resourceGroup === undefined ? undefined : decodeURIComponent(resourceGroup),
    type: canonical,
    name: name === undefined ? undefined : decodeURIComponent(name),
    instanceView: Boolean(instanceView),
  };
}

function subscriptionOfPath(path: string): string | undefined {
  return (SUBSCRIPTION.exec(path) ?? LOCATIONS.exec(path))?.[1] ?? providerPath(path)?.subscription;
}

/** ARM's answer to an api-version the resource type does not have, or undefined when it has it. */
function unsupportedVersion(type: ArmListType, version: string, location: string | undefined): SandboxResponse | undefined {
  const versions = API_VERSIONS[type];
  if (versions.includes(version)) return undefined;
  if (type === 'subscriptions') {
    return armError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${version}' is invalid. The supported versions are '${versions.join(',')}'.`,
    );
  }
  const resourceType = type.slice(type.indexOf('/') + 1);
  return armError(
    400,
    'NoRegisteredProviderFound',
    `No registered resource provider found for location ${location === undefined ? '*' : `'${location}'`} and API version '${version}' for type '${resourceType}'. The supported api-versions are '${versions.join(', ')}'.`,
  );
}

function byAccount<K extends EstateResource['kind']>(ctx: SandboxContext, kind: K, subscription: string): EstateResourceOf<K>[] {
  return (ctx.index.byAccount.get(`${kind}|${subscription}`) ?? []) as EstateResourceOf<K>[];
}

/** The estate records of a served type in one subscription (NICs are rendered from their VMs). */
function recordsOf(ctx: SandboxContext, subscription: string, type: ArmListType): EstateResource[] {
  switch (type) {
    case 'Microsoft.Compute/virtualMachines':
    case 'Microsoft.Network/networkInterfaces':
      return byAccount(ctx, 'azure.compute.vm', subscription);
    case 'Microsoft.Compute/disks':
      return byAccount(ctx, 'azure.compute.disk', subscription);
    case 'Microsoft.Compute/snapshots':
      return byAccount(ctx, 'azure.compute.snapshot', subscription);
    case 'Microsoft.Network/networkSecurityGroups':
      return byAccount(ctx, 'azure.network.nsg', subscription);
    case 'Microsoft.Network/publicIPAddresses':
      return byAccount(ctx, 'azure.network.public-ip', subscription);
    default:
      return [];
  }
}

/** The ARM id a record is served under (a NIC's is its VM's nicId). */
function armIdOf(type: ArmListType, record: EstateResource): string {
  return type === 'Microsoft.Network/networkInterfaces' && record.kind === 'azure.compute.vm' ? record.spec.nicId : record.id;
}

function renderer(req: SandboxRequest, ctx: SandboxContext, type: ArmListType): (record: EstateResource) => unknown {
  const expand = req.url.searchParams.get('$expand');
  const withInstanceView = req.url.searchParams.get('statusOnly') === 'true' || expand === 'instanceView';
  return (record) => {
    switch (record.kind) {
      case 'azure.compute.vm':
        return type === 'Microsoft.Network/networkInterfaces' ? renderNic(record) : renderVm(record, ctx.index, withInstanceView);
      case 'azure.compute.disk':
        return renderDisk(record);
      case 'azure.compute.snapshot':
        return renderSnapshot(record, ctx.index);
      case 'azure.network.nsg':
        return renderNsg(record, ctx);
      case 'azure.network.public-ip':
        return renderPublicIp(record, ctx.index);
      default:
        return undefined;
    }
  };
}

/** `/subscriptions/{sub}/resourceGroups/{rg}/` of an ARM id, lower-cased (ARM ids compare case-insensitively). */
function groupPrefix(subscription: string, resourceGroup: string): string {
  return `/subscriptions/${subscription}/resourcegroups/${resourceGroup}/`.toLowerCase();
}

/** By subscription id. */
const RESOURCE_GROUPS = estateSlot('azure.resourceGroups', () => new Map<string, Set<string>>());

/** The resource groups of a subscription: every group an estate resource's id names. */
function resourceGroups(ctx: SandboxContext, subscription: string): Set<string> {
  const bySubscription = ctx.state.get(RESOURCE_GROUPS);
  let groups = bySubscription.get(subscription);
  if (!groups) {
    groups = new Set();
    for (const resource of ctx.estate.resources) {
      if (resource.account !== subscription || !resource.kind.startsWith('azure.')) continue;
      const match = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\//i.exec(resource.id);
      if (match) groups.add(match[1].toLowerCase());
    }
    bySubscription.set(subscription, groups);
  }
  return groups;
}

function serveProviderPath(req: SandboxRequest, ctx: SandboxContext, path: ProviderPath, pageSize: number): SandboxResponse {
  const records = recordsOf(ctx, path.subscription, path.type);
  const render = renderer(req, ctx, path.type);
  if (path.resourceGroup === undefined) return armPage(req, ctx.origin, records, pageSize, render);
  if (!resourceGroups(ctx, path.subscription).has(path.resourceGroup.toLowerCase())) {
    return armError(404, 'ResourceGroupNotFound', `Resource group '${path.resourceGroup}' could not be found.`);
  }
  const prefix = groupPrefix(path.subscription, path.resourceGroup);
  if (path.name === undefined) {
    const inGroup = records.filter((record) => armIdOf(path.type, record).toLowerCase().startsWith(prefix));
    return armPage(req, ctx.origin, inGroup, pageSize, render);
  }
  const id = `${prefix}providers/${path.type}/${path.name}`.toLowerCase();
  const record = records.find((candidate) => armIdOf(path.type, candidate).toLowerCase() === id);
  if (!record) {
    return armError(
      404,
      'ResourceNotFound',
      `The Resource '${path.type}/${path.name}' under resource group '${path.resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  }
  if (path.instanceView && record.kind === 'azure.compute.vm') return armJson(200, renderInstanceView(record));
  return armJson(200, render(record));
}

function isComputePath(req: SandboxRequest): boolean {
  return /\/providers\/Microsoft\.Compute\//i.test(req.url.pathname);
}

/** ARM's answers to injected faults: the compute provider's own throttling, ARM's elsewhere. */
export function armFaultResponse(req: SandboxRequest, fault: FaultKind, retryAfterSeconds?: number): SandboxResponse {
  const compute = isComputePath(req);
  if (fault === 'throttle') {
    const seconds = String(retryAfterSeconds ?? 1);
    // The compute resource provider throttles with its own code and policy header; ARM's
    // subscription-level limiter (everything else) answers SubscriptionRequestsThrottled.
    return compute
      ? armError(
          429,
          'TooManyRequests',
          `The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:03:00. Please try again after ${seconds} seconds. For more information, refer to - https://aka.ms/armthrottling`,
          { 'retry-after': seconds, 'x-ms-ratelimit-remaining-resource': 'Microsoft.Compute/HighCostGet3Min;0' },
        )
      : armError(
          429,
          'SubscriptionRequestsThrottled',
          `Number of 'read' requests for subscription '${subscriptionOfPath(req.url.pathname) ?? ''}' actor 'guardian-sandbox' exceeded. Please try again after '${seconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`,
          { 'retry-after': seconds, 'x-ms-ratelimit-remaining-subscription-reads': '0' },
        );
  }
  if (fault === 'outage') {
    return armError(
      504,
      'GatewayTimeout',
      `The gateway did not receive a response from '${compute ? 'Microsoft.Compute' : 'Microsoft.Network'}' within the specified time period.`,
    );
  }
  return compute
    ? armError(500, 'InternalServerError', 'An unexpected error occured while processing the request. Please try again later.')
    : armError(503, 'ServiceUnavailable', 'The server is currently unavailable to handle the request. Please retry after some time.', {
        'retry-after': '1',
      });
}

export function createResourceManagerService(options: ResourceManagerOptions = {}): SandboxService {
  const pageSizes = { ...DEFAULT_PAGE_SIZES, ...options.pageSizes };
  return {
    name: 'azure.arm',
    matches(req) {
      if (req.aws) return false;
      const path = req.url.pathname;
      return SUBSCRIPTIONS.test(path) || SUBSCRIPTION.test(path) || LOCATIONS.test(path) || providerPath(path) !== undefined;
    },
    scope(req, ctx) {
      // The discovery engine lists Azure per subscription, so a subscription is the throttling
      // bucket; the lists span locations, hence 'global'. Listing subscriptions is tenant-level.
      const subscription = subscriptionOfPath(req.url.pathname);
      return { account: subscription?.toLowerCase() ?? ctx.estate.azure.tenantId, region: 'global' };
    },
    handle(req, ctx) {
      const auth = authenticateArmRequest(req, ctx);
      if ('response' in auth) return auth.response;
      const apiVersion = req.url.searchParams.get('api-version');
      if (!apiVersion)
        return armError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
      const path = req.url.pathname;
      const provider = providerPath(path);
      const { azure } = ctx.estate;
      const requested = subscriptionOfPath(path) ?? '';
      const subscription = azure.subscriptions.find((s) => s.id.toLowerCase() === requested.toLowerCase());
      const location = provider?.name !== undefined ? subscription?.locations[0] : undefined;
      const refused = unsupportedVersion(provider?.type ?? 'subscriptions', apiVersion, location);
      if (refused) return refused;
      if (req.method !== 'GET') {
        return armError(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
      }
      if (SUBSCRIPTIONS.test(path)) {
        return armPage(req, ctx.origin, azure.subscriptions, pageSizes.subscriptions, (s) => renderSubscription(s, azure.tenantId));
      }
      if (!subscription) return armError(404, 'SubscriptionNotFound', `The subscription '${requested}' could not be found.`);
      if (SUBSCRIPTION.test(path)) return armJson(200, renderSubscription(subscription, azure.tenantId));
      if (LOCATIONS.test(path)) return armJson(200, { value: subscription.locations.map((name) => renderLocation(subscription.id, name)) });
      return serveProviderPath(req, ctx, { ...provider!, subscription: subscription.id }, pageSizes[provider!.type]);
    },
    faultResponse: armFaultResponse,
  };
}
