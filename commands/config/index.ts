// `guardian config`: profiles and settings. Each verb is one file of this folder; the store
// (src/config/store.ts) does the validation and the writing, and each verb renders what it returns.

import type { CommandDefinition, VerbDefinition } from '../context.js';
import { defineConfigDelete } from './delete.js';
import { defineConfigGet } from './get.js';
import { defineConfigInit } from './init.js';
import { defineConfigList } from './list.js';
import { defineConfigPath } from './path.js';
import { defineConfigPolicy } from './policy.js';
import { defineConfigProfiles } from './profiles.js';
import { defineConfigSet } from './set.js';
import { defineConfigTest } from './test.js';
import { defineConfigUnset } from './unset.js';
import { defineConfigUse } from './use.js';
import { CONFIG_KEY_NAMES } from './verb.js';

/** The verbs, in help order: a verb is one file and one line here. */
const VERBS: VerbDefinition[] = [
  defineConfigInit,
  defineConfigList,
  defineConfigGet,
  defineConfigSet,
  defineConfigUnset,
  defineConfigProfiles,
  defineConfigUse,
  defineConfigDelete,
  defineConfigPath,
  defineConfigTest,
  defineConfigPolicy,
];

export const defineConfig: CommandDefinition = (program, runtime) => {
  const config = program
    .command('config')
    .description('manage profiles, cloud settings and stored credentials')
    .addHelpText(
      'after',
      `
Keys: ${CONFIG_KEY_NAMES.join(', ')} (guardian config set --help says what each holds)
Lists are comma-separated. The store lives in $GUARDIAN_CONFIG_DIR or the per-user config directory
(see: guardian config path). The built-in 'demo' profile runs against the local sandbox.

Examples:
  guardian config init                                   # asks on a terminal
  guardian config init --profile prod --aws-profiles prod-admin --aws-regions eu-west-1,us-east-1 --yes
  guardian config set aws.regions eu-west-1,eu-central-1
  guardian config get aws.regions                        # exit 1 when it is not set
  printenv CLIENT_SECRET | guardian config set azure.clientSecret - --secret
  guardian config profiles
  guardian config use prod
  guardian config test --profile prod                    # checks every credential and permission`,
    );
  for (const define of VERBS) define(config, runtime);
};
