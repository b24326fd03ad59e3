// The Azure front door: everything on the sandbox's HTTPS listener. A request no module serves
// gets ARM's error envelope, as a resource type ARM cannot find (InvalidResourceType, 404) or,
// off the provider paths, a plain 404, so the SDKs surface a RestError with a code, never a
// parse failure.

import type { FrontDoor } from '../server/types.js';
import { armError } from './arm-protocol.js';

const PROVIDER_PATH = /\/providers\/([^/]+)\/([^/?]+)/i;

export const azureFrontDoor: FrontDoor = {
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
