// The model endpoint failed (an HTTP error, a stream cut off, rate limits that did not clear, no
// answer in time): one line saying which, exit 1. A refused key is a ConfigError (exit 3) instead.

import { ExitCode, GuardianError } from '../../errors.js';

export class ModelError extends GuardianError {
  readonly exitCode = ExitCode.checkFailed;
}
