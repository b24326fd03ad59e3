// The Azure front door: everything on the sandbox's HTTPS listener. A request no module serves
// gets ARM's error envelope, as a resource type ARM cannot find (InvalidResourceType, 404) or,
// off the provider paths, a plain 404, so the SDKs surface a RestError with a code, never a
// parse failure.

import type { FrontDoor, SandboxRequest } from '../server/types.js';
import { armError } from './arm-protocol.js';

const PROVIDER_PATH = /\/providers\/([^/]+)\/([^/?]+)/i;

const VERBS: Record<string, string> = { GET: 'read', HEAD: 'read', PUT: 'write', PATCH: 'write', DELETE: 'delete' };

/**
 * The request's operation as Azure RBAC names it: `Microsoft.Compute/disks/delete`,
 * `Microsoft.Compute/virtualMachines/deallocate/action` (a POST to an action path).
 * https://learn.microsoft.com/azure/role-based-access-control/resource-provider-operations
 */
export function armOperation(req: SandboxRequest): string | undefined {
  const at = req.url.pathname.toLowerCase().lastIndexOf('/providers/');
  if (at < 0) return undefined;
  const [namespace, ...rest] = req.url.pathname
    .slice(at + '/providers/'.length)
    .split('/')
    .filter(Boolean);
  if (!namespace || rest.length === 0) return undefined;
  // type/name pairs, then (odd count) an action on the last resource.
  const types = rest.filter((_, i) => i % 2 === 0);
  const action = rest.length % 2 === 1 && rest.length > 1 ? types.pop() : undefined;
  const type = `${namespace}/${types.join('/')}`;
  if (action) return `${type}/${action}/action`;
  const verb = req.method === 'POST' ? 'action' : VERBS[req.method];
  return verb ? `${type}/${verb}` : undefined;
}

export const azureFrontDoor: FrontDoor = {
  operation: armOperation,
  denied: (req, operation) =>
    armError(
      403,
      'AuthorizationFailed',
      `The client does not have authorization to perform action '${operation}' over scope '${req.url.pathname}' or the scope is invalid.`,
    ),
  cloud: 'azure',
  claims: (req, ctx) => !req.aws && ctx.origin.startsWith('https:'),
  unrouted(req) {
    const provider = PROVIDER_PATH.exec(req.url.pathname);
    const version = req.url.searchParams.get('api-version') ?? '';
    if (provider) {
      return armError(
        404,
        'InvalidResourceType',
        `The resource type '${provider[2]}' could not be found in the namespace '${provider[1]}' for api version '${version}'. (The Guardian sandbox does not serve this resource type.)`,
      );
    }
    return armError(404, 'NotFound', `The Guardian sandbox does not serve ${req.method} ${req.url.pathname}.`);
  },
};
