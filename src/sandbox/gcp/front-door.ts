// The GCP front door: plain-HTTP requests that are not SigV4-signed. A path no module serves is
// answered as Google's APIs answer an unknown method: 404 NOT_FOUND in the JSON error shape the
// client libraries parse.

import type { FrontDoor } from '../server/types.js';
import { googleError } from './google-errors.js';

export const gcpFrontDoor: FrontDoor = {
  cloud: 'gcp',
  claims: (req) => !req.aws,
  unrouted: (req) =>
    googleError(404, `Method not found: the Guardian sandbox does not serve ${req.method} ${req.url.pathname}.`, { reason: 'notFound' }),
};
