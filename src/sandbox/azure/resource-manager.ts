// Azure Resource Manager as the discovery listings reach it: subscriptions, locations, and the
// subscription-wide lists of VMs, disks, snapshots, NSGs, public IPs and NICs. ARM checks the
// bearer token, then api-version, then the subscription, then hands the request to the resource
// provider; every error uses ARM's {error:{code,message}} envelope.

import type { EstateResource, EstateResourceOf } from '../estate/types.js';
import type { FaultKind, SandboxContext, SandboxRequest, SandboxResponse, SandboxService } from '../server/types.js';
import { armPage } from './arm-paging.js';
import { armError, armJson } from './arm-protocol.js';
import { renderDisk, renderSnapshot, renderVm } from './compute.js';
import { authenticateArmRequest } from './entra.js';
import { renderNic, renderNsg, renderPublicIp } from './network.js';
import { renderLocation, renderSubscription } from './subscriptions.js';

/** The subscription-wide lists this module serves, by the resource type in the path. */
export type ArmListType =
  | 'Microsoft.Compute/virtualMachines'
  | 'Microsoft.Compute/disks'
  | 'Microsoft.Compute/snapshots'
  | 'Microsoft.Network/networkSecurityGroups'
  | 'Microsoft.Network/publicIPAddresses'
  | 'Microsoft.Network/networkInterfaces'
  | 'subscriptions';

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
const PROVIDER_LIST =
  /^\/subscriptions\/([^/]+)\/providers\/(Microsoft\.Compute\/(?:virtualMachines|disks|snapshots)|Microsoft\.Network\/(?:networkSecurityGroups|publicIPAddresses|networkInterfaces))\/?$/i;
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview|-beta)?$/;

/** Canonical casing of each list type (ARM paths are case-insensitive). */
const CANONICAL_TYPES = new Map<string, ArmListType>(
  (Object.keys(DEFAULT_PAGE_SIZES) as ArmListType[]).map((type) => [type.toLowerCase(), type]),
);

function subscriptionOfPath(path: string): string | undefined {
  return (SUBSCRIPTION.exec(path) ?? LOCATIONS.exec(path) ?? PROVIDER_LIST.exec(path))?.[1];
}

function byAccount<K extends EstateResource['kind']>(ctx: SandboxContext, kind: K, subscription: string): EstateResourceOf<K>[] {
  return (ctx.index.byAccount.get(`${kind}|${subscription}`) ?? []) as EstateResourceOf<K>[];
}

function listResources(
  req: SandboxRequest,
  ctx: SandboxContext,
  subscription: string,
  type: ArmListType,
  pageSize: number,
): SandboxResponse {
  switch (type) {
    case 'Microsoft.Compute/virtualMachines': {
      const withInstanceView = req.url.searchParams.get('statusOnly') === 'true' || req.url.searchParams.get('$expand') === 'instanceView';
      return armPage(req, ctx.origin, byAccount(ctx, 'azure.compute.vm', subscription), pageSize, (vm) =>
        renderVm(vm, ctx.index, withInstanceView),
      );
    }
    case 'Microsoft.Compute/disks':
      return armPage(req, ctx.origin, byAccount(ctx, 'azure.compute.disk', subscription), pageSize, renderDisk);
    case 'Microsoft.Compute/snapshots':
      return armPage(req, ctx.origin, byAccount(ctx, 'azure.compute.snapshot', subscription), pageSize, (s) =>
        renderSnapshot(s, ctx.index),
      );
    case 'Microsoft.Network/networkSecurityGroups':
      return armPage(req, ctx.origin, byAccount(ctx, 'azure.network.nsg', subscription), pageSize, (nsg) => renderNsg(nsg, ctx));
    case 'Microsoft.Network/publicIPAddresses':
      return armPage(req, ctx.origin, byAccount(ctx, 'azure.network.public-ip', subscription), pageSize, (ip) =>
        renderPublicIp(ip, ctx.index),
      );
    case 'Microsoft.Network/networkInterfaces':
      return armPage(req, ctx.origin, byAccount(ctx, 'azure.compute.vm', subscription), pageSize, renderNic);
    default:
      return armError(404, 'InvalidResourceType', `The resource type '${type}' could not be found.`);
  }
}

function isComputePath(req: SandboxRequest): boolean {
  return /\/providers\/Microsoft\.Compute\//i.test(req.url.pathname);
}

export function createResourceManagerService(options: ResourceManagerOptions = {}): SandboxService {
  const pageSizes = { ...DEFAULT_PAGE_SIZES, ...options.pageSizes };
  return {
    name: 'azure.arm',
    matches(req) {
      if (req.aws) return false;
      const path = req.url.pathname;
      return SUBSCRIPTIONS.test(path) || SUBSCRIPTION.test(path) || LOCATIONS.test(path) || PROVIDER_LIST.test(path);
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
      if (!API_VERSION.test(apiVersion)) {
        return armError(
          400,
          'InvalidApiVersionParameter',
          `The api-version '${apiVersion}' is invalid. The supported versions are '2022-12-01,2025-01-02,2025-05-01,2026-03-01'.`,
        );
      }
      if (req.method !== 'GET') {
        return armError(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
      }
      const path = req.url.pathname;
      const { azure } = ctx.estate;
      if (SUBSCRIPTIONS.test(path)) {
        return armPage(req, ctx.origin, azure.subscriptions, pageSizes.subscriptions, (s) => renderSubscription(s, azure.tenantId));
      }
      const requested = subscriptionOfPath(path) ?? '';
      const subscription = azure.subscriptions.find((s) => s.id.toLowerCase() === requested.toLowerCase());
      if (!subscription) return armError(404, 'SubscriptionNotFound', `The subscription '${requested}' could not be found.`);
      if (SUBSCRIPTION.test(path)) return armJson(200, renderSubscription(subscription, azure.tenantId));
      if (LOCATIONS.test(path)) return armJson(200, { value: subscription.locations.map((name) => renderLocation(subscription.id, name)) });
      const type = CANONICAL_TYPES.get(PROVIDER_LIST.exec(path)![2].toLowerCase())!;
      return listResources(req, ctx, subscription.id, type, pageSizes[type]);
    },
    faultResponse(req, fault: FaultKind, retryAfterSeconds) {
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
    },
  };
}
