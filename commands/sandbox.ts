// `guardian sandbox`: the built-in cloud. `serve` runs it in the foreground and prints how to
// point the SDKs (or Guardian) at it; `manifest` prints the ground truth of an estate.
// Everything heavy (generator, server, SDK-shaped service modules) loads inside the actions.

import type { Command } from 'commander';
import type { Profile } from '../src/config/profile.js';
import { SANDBOX_DEFAULTS } from '../src/sandbox/defaults.js';
import type { SandboxManifest } from '../src/sandbox/manifest.js';
import type { FaultOptions } from '../src/sandbox/server/faults.js';
import type { CommandContext, CommandDefinition, Runtime } from './context.js';
import { contextFor } from './context.js';

interface EstateFlags {
  seed?: string;
  size?: string;
  now?: string;
}

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
}

export interface ServeOptions {
  seed: number;
  size: number;
  now?: string;
  port: number;
  azurePort: number;
  faults: FaultOptions;
  settleMs?: number;
}

async function estateOptions(flags: EstateFlags): Promise<{ seed: number; size: number; now?: string }> {
  const { parseDay, parseSeed, parseSize } = await import('../src/sandbox/options.js');
  return {
    seed: flags.seed === undefined ? SANDBOX_DEFAULTS.seed : parseSeed('--seed', flags.seed),
    size: flags.size === undefined ? SANDBOX_DEFAULTS.size : parseSize('--size', flags.size),
    now: flags.now === undefined ? undefined : parseDay('--now', flags.now),
  };
}

export async function serveOptions(flags: ServeFlags): Promise<ServeOptions> {
  const o = await import('../src/sandbox/options.js');
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
  };
}

/** What `serve` prints: endpoints, the variables to export, and Guardian profile settings. */
export interface ServeInfo {
  seed: number;
  size: number;
  now: string;
  endpoints: { aws: string; gcp: string; azure: string };
  env: Record<string, string>;
  files: { awsConfig: string; awsCredentials: string; gcpKey: string; caFile: string };
  awsProfile: string;
  profile: Profile;
  /** Commands that store the same settings as a Guardian profile named 'sandbox'. */
  guardianConfig: string[];
  faults: FaultOptions;
  /** The services each endpoint serves; anything else is answered with that cloud's not-found error. */
  served: Record<'aws' | 'azure' | 'gcp', string[]>;
}

async function runServe(ctx: CommandContext, options: ServeOptions): Promise<void> {
  const { printDocument, resolveFormat, toJson } = await import('../src/render/output.js');
  const format = resolveFormat(ctx.globals, ['table', 'json']);
  const { mkdtemp, rm } = await import('node:fs/promises');
  const os = await import('node:os');
  const path = await import('node:path');
  const { startDemo, DEMO_AWS_PROFILE, DEMO_AWS_REGION } = await import('../src/sandbox/demo.js');
  const { servedServices } = await import('../src/sandbox/index.js');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'guardian-sandbox-'));
  try {
    ctx.io.log.verbose(`generating a ${options.size}-resource estate (seed ${options.seed})…`);
    const demo = await startDemo(options, dir);
    try {
      const { estate, awsOrigin, gcpOrigin, azureOrigin } = demo.sandbox;
      const management = estate.aws.accounts.find((a) => a.management) ?? estate.aws.accounts[0];
      const env: Record<string, string> = {
        AWS_ENDPOINT_URL: awsOrigin,
        AWS_ACCESS_KEY_ID: management.accessKeyId,
        AWS_SECRET_ACCESS_KEY: management.secretAccessKey,
        AWS_REGION: DEMO_AWS_REGION,
        // awscli v1 (botocore) and older SDK releases read the region only from AWS_DEFAULT_REGION.
        AWS_DEFAULT_REGION: DEMO_AWS_REGION,
        GOOGLE_APPLICATION_CREDENTIALS: demo.files.gcpKey,
        NODE_EXTRA_CA_CERTS: demo.files.caFile,
        AZURE_TENANT_ID: estate.azure.tenantId,
        AZURE_CLIENT_ID: estate.azure.clientId,
        AZURE_CLIENT_SECRET: estate.azure.clientSecret,
        AZURE_AUTHORITY_HOST: azureOrigin,
      };
      const info: ServeInfo = {
        seed: estate.seed,
        size: estate.size,
        now: estate.now,
        endpoints: { aws: awsOrigin, gcp: gcpOrigin, azure: azureOrigin },
        env,
        files: demo.files,
        awsProfile: DEMO_AWS_PROFILE,
        profile: demo.profile,
        guardianConfig: guardianConfigLines(demo.profile, demo.files),
        faults: options.faults,
        served: servedServices(),
      };
      if (format === 'json') printDocument(ctx.io, toJson('sandbox-serve', info));
      else ctx.io.out(renderServeText(info));
      ctx.io.log.info('sandbox running; press Ctrl-C to stop');
      // Ctrl-C or SIGTERM is how a server is stopped, not an interruption: it ends with exit 0.
      ctx.stopsOnSignal();
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      const stats = demo.sandbox.faultStats();
      ctx.io.log.verbose(
        `served ${stats.requests} requests (throttled ${stats.throttled}, 5xx ${stats.serverErrors}, resets ${stats.resets}, held ${stats.outages})`,
      );
    } finally {
      await demo.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function guardianConfigLines(profile: Profile, files: ServeInfo['files']): string[] {
  const set = (key: string, value: string) => `guardian --profile sandbox config set ${key} ${value}`;
  const { aws, azure, gcp } = profile;
  return [
    `export AWS_CONFIG_FILE=${files.awsConfig} AWS_SHARED_CREDENTIALS_FILE=${files.awsCredentials}`,
    set('aws.profiles', aws?.profiles?.join(',') ?? ''),
    set('aws.assumeRole', aws?.assumeRole ?? ''),
    set('aws.endpoint', aws?.endpoint ?? ''),
    set('azure.auth', 'client-secret'),
    set('azure.tenantId', azure?.tenantId ?? ''),
    set('azure.clientId', azure?.clientId ?? ''),
    `printenv AZURE_CLIENT_SECRET | guardian --profile sandbox config set azure.clientSecret - --secret`,
    set('azure.authorityHost', azure?.authorityHost ?? ''),
    set('azure.endpoint', azure?.endpoint ?? ''),
    set('azure.caFile', files.caFile),
    set('gcp.projects', gcp?.projects?.join(',') ?? ''),
    set('gcp.keyFile', files.gcpKey),
    set('gcp.endpoint', gcp?.endpoint ?? ''),
    ...(gcp?.billingExportTable ? [set('gcp.billingExportTable', gcp.billingExportTable)] : []),
  ];
}

function renderServeText(info: ServeInfo): string {
  const lines = [
    `Guardian sandbox: seed ${info.seed}, ${info.size.toLocaleString('en-US')} resources, as of ${info.now.slice(0, 10)}`,
    `  AWS and GCP  ${info.endpoints.aws}`,
    `    AWS: ${info.served.aws.join(', ')}`,
    `    GCP: ${info.served.gcp.join(', ')}`,
    `  Azure        ${info.endpoints.azure}`,
    `    ${info.served.azure.join(', ')}`,
    '  Any other service is answered with its cloud’s own not-found error.',
    '',
    '# Point the SDKs or another tool at it (these keys exist only in the sandbox):',
    ...Object.entries(info.env).map(([name, value]) => `export ${name}=${value}`),
    '',
    `# Or an AWS named profile: AWS_CONFIG_FILE=${info.files.awsConfig} AWS_SHARED_CREDENTIALS_FILE=${info.files.awsCredentials} AWS_PROFILE=${info.awsProfile}`,
    '',
    "# Or a Guardian profile named 'sandbox' (the files above live while this command runs):",
    ...info.guardianConfig,
    '',
    '# (guardian --profile demo runs its own in-process sandbox instead.)',
  ];
  return lines.join('\n');
}

async function runManifest(ctx: CommandContext, flags: EstateFlags): Promise<void> {
  const { resolveFormat, toJson, renderView } = await import('../src/render/output.js');
  const format = resolveFormat(ctx.globals, ['table', 'json', 'csv', 'markdown']);
  const options = await estateOptions(flags);
  const { generateEstate } = await import('../src/sandbox/estate/generate.js');
  const { buildManifest } = await import('../src/sandbox/manifest.js');
  const manifest = buildManifest(generateEstate(options));
  renderView(ctx.io, format, manifestView(manifest), () => toJson('sandbox-manifest', manifest));
  if (format === 'table') {
    const planted = Object.values(manifest.planted).reduce((sum, ids) => sum + ids.length, 0);
    ctx.io.log.info(
      `seed ${manifest.seed}, ${manifest.counts.total} resources as of ${manifest.now.slice(0, 10)}; ${planted} planted conditions (--json for ids, costs and identities)`,
    );
  }
}

interface CountRow {
  cloud: string;
  account: string;
  name: string;
  kind: string;
  count: number;
}

function manifestView(manifest: SandboxManifest) {
  const rows: CountRow[] = [];
  for (const [account, counts] of Object.entries(manifest.counts.byAccount)) {
    for (const [kind, count] of Object.entries(counts.byKind))
      rows.push({ cloud: counts.cloud, account, name: counts.name, kind, count: count ?? 0 });
  }
  return {
    columns: [
      { header: 'Cloud', value: (r: CountRow) => r.cloud },
      { header: 'Account', value: (r: CountRow) => r.account },
      { header: 'Name', value: (r: CountRow) => r.name },
      { header: 'Kind', value: (r: CountRow) => r.kind },
      { header: 'Count', value: (r: CountRow) => r.count, align: 'right' as const },
    ],
    rows,
  };
}

export const defineSandbox: CommandDefinition = (program: Command, runtime: Runtime) => {
  const sandbox = program
    .command('sandbox')
    .description("the built-in sandbox cloud: a seeded estate behind AWS, Azure and GCP's real APIs, on this machine")
    .addHelpText(
      'after',
      `
Examples:
  guardian sandbox serve --port 4566                     # prints the endpoints and the variables to export
  guardian sandbox serve --size 10000 --latency 100 --throttle 100:20 --errors 0.05 --outage eu-west-1
  guardian sandbox manifest --seed 42 --size 2000 --json   # the ground truth: counts, planted conditions, true costs
  guardian discover --profile demo                       # the same sandbox, started inside the process

The demo profile's estate and faults: GUARDIAN_DEMO_SEED, GUARDIAN_DEMO_SIZE, GUARDIAN_DEMO_NOW,
GUARDIAN_DEMO_LATENCY, GUARDIAN_DEMO_THROTTLE, GUARDIAN_DEMO_ERRORS, GUARDIAN_DEMO_RESETS, GUARDIAN_DEMO_OUTAGE,
GUARDIAN_DEMO_FAIL, GUARDIAN_DEMO_SETTLE.`,
    );

  const estateFlags = (command: Command) =>
    command
      .option('--seed <n>', `estate seed (default ${SANDBOX_DEFAULTS.seed})`)
      .option('--size <n>', `number of resources, 50 to 200000 (default ${SANDBOX_DEFAULTS.size})`)
      .option('--now <day>', 'the day the estate is generated at, YYYY-MM-DD (default: today, UTC)');

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
    .option('--settle <ms>', 'how long each stage of a change takes to settle (stopping, pending snapshot…), default 1000')
    .action(async (flags: ServeFlags, command: Command) => {
      const ctx = contextFor(command, runtime);
      await runServe(ctx, await serveOptions(flags));
    });

  estateFlags(
    sandbox.command('manifest').description('print the ground truth of an estate: counts, planted conditions, identities, true costs'),
  ).action(async (flags: EstateFlags, command: Command) => runManifest(contextFor(command, runtime), flags));
};
