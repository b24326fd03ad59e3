// `guardian sandbox serve`: the sandbox in the foreground until Ctrl-C, printing how to point the
// SDKs and Guardian at it. src/sandbox/serve.ts starts, describes and stops it.

import type { Command } from 'commander';
import type { ServeOptions } from '../../src/sandbox/serve.js';
import type { FaultOptions } from '../../src/sandbox/server/faults.js';
import { type CommandContext, contextFor, type VerbDefinition } from '../context.js';
import { type EstateFlags, estateFlags, estateOptions } from './estate.js';

interface ServeFlags extends EstateFlags {
  port?: string;
  azurePort?: string;
  latency?: string;
  throttle?: string;
  errors?: string;
  resets?: string;
  outage?: string[];
  fail?: string[];
  settle?: string;
  resourceData?: boolean;
}

export const defineSandboxServe: VerbDefinition = (sandbox, runtime) => {
  estateFlags(
    sandbox
      .command('serve')
      .description('run the sandbox in the foreground until Ctrl-C and print how to point the SDKs and Guardian at it')
      .option('--port <port>', 'port for AWS and GCP, plain HTTP on 127.0.0.1 (default: any free port)')
      .option('--azure-port <port>', 'port for Azure, HTTPS on 127.0.0.1 (default: any free port)'),
  )
    .option('--latency <ms[:jitter]>', 'delay every answer by MS milliseconds, plus up to JITTER more')
    .option('--throttle <capacity:rate>', "token bucket per account × region, e.g. 100:20 (EC2's)")
    .option('--errors <rate>', "answer this share of requests with the service's 5xx error (0-1 or 5%)")
    .option('--resets <rate>', 'reset this share of connections without answering (0-1 or 5%)')
    .option('--outage <region...>', 'regions whose requests never get an answer')
    .option('--fail <operation...>', 'fail calls of an operation: OPERATION[#N][:error|:denied], e.g. DeleteVolume#2:denied')
    .option('--no-resource-data', 'answer GetCostAndUsageWithResources as an account that has not opted in to resource-level data')
    .option('--settle <ms>', 'how long each stage of a change takes to settle (stopping, pending snapshot…), default 1000')
    .action(async (flags: ServeFlags, command: Command) => {
      const ctx = contextFor(command, runtime);
      await runServe(ctx, await serveOptions(flags));
    });
};

async function serveOptions(flags: ServeFlags): Promise<ServeOptions> {
  const o = await import('../../src/sandbox/options.js');
  const faults: FaultOptions = {};
  if (flags.latency !== undefined) Object.assign(faults, o.parseLatency('--latency', flags.latency));
  if (flags.throttle !== undefined) faults.throttle = o.parseThrottle('--throttle', flags.throttle);
  if (flags.errors !== undefined) faults.errorRate = o.parseRate('--errors', flags.errors);
  if (flags.resets !== undefined) faults.resetRate = o.parseRate('--resets', flags.resets);
  if (flags.outage !== undefined) faults.outages = o.parseOutageRegions('--outage', flags.outage);
  if (flags.fail !== undefined) faults.failOperations = o.parseOperationFaults('--fail', flags.fail);
  return {
    ...(await estateOptions(flags)),
    port: flags.port === undefined ? 0 : o.parsePort('--port', flags.port),
    azurePort: flags.azurePort === undefined ? 0 : o.parsePort('--azure-port', flags.azurePort),
    faults,
    settleMs: flags.settle === undefined ? undefined : o.parseMilliseconds('--settle', flags.settle),
    resourceLevelData: flags.resourceData !== false,
  };
}

async function runServe(ctx: CommandContext, options: ServeOptions): Promise<void> {
  const { printDocument, resolveFormat, toJson } = await import('../../src/render/output.js');
  const format = resolveFormat(ctx.globals, ['table', 'json']);
  const { renderServeText, serveSandbox } = await import('../../src/sandbox/serve.js');
  await serveSandbox(options, {
    signal: ctx.signal,
    log: ctx.io.log,
    onReady: (info) => {
      if (format === 'json') printDocument(ctx.io, toJson('sandbox-serve', info));
      else ctx.io.out(renderServeText(info));
      ctx.io.log.info('sandbox running; press Ctrl-C to stop');
      // Ctrl-C or SIGTERM is how a server is stopped, not an interruption: it ends with exit 0.
      ctx.stopsOnSignal();
    },
  });
}
