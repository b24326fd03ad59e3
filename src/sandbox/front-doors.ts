// Each cloud's front door, in the order they claim requests: SigV4-signed requests are AWS's,
// anything else on the HTTPS listener is Azure's, and the rest (plain HTTP) is GCP's.

import { awsFrontDoor } from './aws/front-door.js';
import { azureFrontDoor } from './azure/front-door.js';
import { gcpFrontDoor } from './gcp/front-door.js';
import type { FrontDoor } from './server/types.js';

export const FRONT_DOORS: FrontDoor[] = [awsFrontDoor, azureFrontDoor, gcpFrontDoor];
