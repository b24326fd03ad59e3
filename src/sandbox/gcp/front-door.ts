// The GCP front door: plain-HTTP requests that are not SigV4-signed. A path no module serves is
// answered as Google's APIs answer an unknown method: 404 NOT_FOUND in the JSON error shape the
// client libraries parse.

import type { FrontDoor, SandboxRequest } from '../server/types.js';
import { googleError } from './google-errors.js';

const SCOPES = new Set(['zones', 'regions']);

/**
 * The request's operation as the IAM permission that guards it: `compute.disks.delete`,
 * `compute.instances.stop`, `compute.disks.createSnapshot`, `compute.addresses.list`.
 * https://cloud.google.com/compute/docs/reference/rest/v1
 */
export function googleOperation(req: SandboxRequest): string | undefined {
  const parts = req.url.pathname.split('/').filter(Boolean);
  const project = parts.indexOf('projects');
  if (project < 0) return undefined;
  const api = parts[0];
  let rest = parts.slice(project + 2);
  if (SCOPES.has(rest[0] ?? '')) rest = rest.slice(2);
  else if (rest[0] === 'global') rest = rest.slice(1);
  else if (rest[0] === 'aggregated') return rest[1] ? `${api}.${rest[1]}.list` : undefined;
  const [collection, name, method] = rest;
  if (!collection) return undefined;
  if (method) return `${api}.${collection}.${method}`;
  if (name) return `${api}.${collection}.${req.method === 'DELETE' ? 'delete' : req.method === 'PATCH' ? 'update' : 'get'}`;
  return `${api}.${collection}.${req.method === 'POST' ? 'insert' : 'list'}`;
}

export const gcpFrontDoor: FrontDoor = {
  cloud: 'gcp',
  claims: (req) => !req.aws,
  operation: googleOperation,
  denied: (req, operation) => {
    const at = req.url.pathname.indexOf('/projects/');
    const resource = at < 0 ? req.url.pathname : req.url.pathname.slice(at + 1);
    return googleError(403, `Required '${operation}' permission for '${resource}'`, { reason: 'forbidden' });
  },
  unrouted: (req) =>
    googleError(404, `Method not found: the Guardian sandbox does not serve ${req.method} ${req.url.pathname}.`, { reason: 'notFound' }),
};
