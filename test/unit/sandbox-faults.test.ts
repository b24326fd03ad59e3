// Injected faults: the token bucket's arithmetic and seeded reproducibility on their own, then
// each fault as the official EC2 client sees it through a running sandbox.

import { DescribeInstancesCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { awsOperation } from '../../src/sandbox/aws/front-door.js';
import { armOperation } from '../../src/sandbox/azure/front-door.js';
import { googleOperation } from '../../src/sandbox/gcp/front-door.js';
import { createSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { parseOperationFaults } from '../../src/sandbox/options.js';
import { EC2_THROTTLE, FaultInjector, type FaultOptions, TokenBucket } from '../../src/sandbox/server/faults.js';
import type { FrontDoor, SandboxContext, SandboxRequest, SandboxService } from '../../src/sandbox/server/types.js';

describe('token bucket', () => {
  it("meters like EC2's: a burst of 100, then 20 a second", () => {
    const bucket = new TokenBucket(EC2_THROTTLE.capacity, EC2_THROTTLE.refillPerSecond, 0);
    for (let i = 0; i < 100; i++) expect(bucket.take(0).ok).toBe(true);
    expect(bucket.take(0)).toEqual({ ok: false, retryAfterSeconds: 1 });
    // 50 ms later one token (20/s) has come back, and only one.
    expect(bucket.take(50).ok).toBe(true);
    expect(bucket.take(50).ok).toBe(false);
    // A second refills 20; the bucket never holds more than its capacity.
    expect(bucket.available(1050)).toBeCloseTo(20, 5);
    expect(bucket.available(60_000)).toBe(100);
  });

  it('says how long until a token comes back, in whole seconds', () => {
    const slow = new TokenBucket(2, 0.25, 0);
    slow.take(0);
    slow.take(0);
    expect(slow.take(0)).toEqual({ ok: false, retryAfterSeconds: 4 });
    expect(slow.take(2000)).toEqual({ ok: false, retryAfterSeconds: 2 });
    expect(slow.take(4000).ok).toBe(true);
  });
});

/** A stand-in service module: the fault layer only needs scope() and faultResponse(). */
const fakeService: SandboxService = {
  name: 'test.fake',
  matches: () => true,
  scope: (req) => ({ account: req.headers['x-account'] ?? 'a', region: req.headers['x-region'] ?? 'r1' }),
  handle: () => ({ status: 200, body: 'ok' }),
  faultResponse: (_req, fault, retryAfter) => ({ status: fault === 'throttle' ? 429 : 500, body: `${fault}:${retryAfter ?? ''}` }),
};
const ctx = {} as SandboxContext;
const request = (account = 'a', region = 'r1'): SandboxRequest => ({
  method: 'GET',
  url: new URL('http://x/'),
  headers: { 'x-account': account, 'x-region': region },
  body: Buffer.alloc(0),
});

async function outcomes(options: FaultOptions, n: number, clock = () => 0): Promise<string[]> {
  const injector = new FaultInjector(options, clock);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const answer = await injector.intercept(request(), fakeService, ctx);
    out.push(answer === undefined ? 'ok' : answer === 'reset' ? 'reset' : String(answer.status));
  }
  return out;
}

describe('fault injector', () => {
  it('repeats the same faults for the same seed and request order', async () => {
    const options = { errorRate: 0.2, resetRate: 0.1, seed: 11 };
    const first = await outcomes(options, 400);
    expect(await outcomes(options, 400)).toEqual(first);
    expect(await outcomes({ ...options, seed: 12 }, 400)).not.toEqual(first);
    const errors = first.filter((o) => o === '500').length;
    const resets = first.filter((o) => o === 'reset').length;
    expect(errors).toBeGreaterThan(50);
    expect(errors).toBeLessThan(110);
    expect(resets).toBeGreaterThan(15);
    expect(resets).toBeLessThan(60);
  });

  it('throttles per account × region and answers with the retry delay', async () => {
    const injector = new FaultInjector({ throttle: { capacity: 3, refillPerSecond: 1 } }, () => 0);
    const statuses = async (account: string, region: string, n: number) => {
      const out: (string | number)[] = [];
      for (let i = 0; i < n; i++) {
        const answer = await injector.intercept(request(account, region), fakeService, ctx);
        out.push(answer === undefined ? 'ok' : answer === 'reset' ? 'reset' : `${answer.status} ${answer.body}`);
      }
      return out;
    };
    expect(await statuses('a', 'r1', 4)).toEqual(['ok', 'ok', 'ok', '429 throttle:1']);
    expect(await statuses('a', 'r2', 3)).toEqual(['ok', 'ok', 'ok']);
    expect(await statuses('b', 'r1', 3)).toEqual(['ok', 'ok', 'ok']);
    expect(injector.stats).toMatchObject({ requests: 10, throttled: 1 });
  });

  it('holds requests to a region in outage until released, covering its zones', async () => {
    const injector = new FaultInjector({ outages: ['us-central1'] });
    let settled: unknown;
    const held = Promise.resolve(injector.intercept(request('p', 'us-central1-a'), fakeService, ctx)).then((answer) => {
      settled = answer;
    });
    expect(await injector.intercept(request('p', 'us-east1-b'), fakeService, ctx)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(settled).toBeUndefined();
    injector.release();
    await held;
    expect(settled).toBe('reset');
    expect(injector.stats.outages).toBe(1);
  });

  it('delays answers by the latency plus jitter', async () => {
    const injector = new FaultInjector({ latencyMs: 20, jitterMs: 10, seed: 1 });
    for (let i = 0; i < 5; i++) await injector.intercept(request(), fakeService, ctx);
    expect(injector.stats.delayedMs).toBeGreaterThanOrEqual(100);
    expect(injector.stats.delayedMs).toBeLessThanOrEqual(150);
  });

  it('refuses nonsense settings', () => {
    expect(() => new FaultInjector({ errorRate: 2 })).toThrow(RangeError);
    expect(() => new FaultInjector({ throttle: { capacity: 0, refillPerSecond: 1 } })).toThrow(RangeError);
    expect(() => new FaultInjector({ latencyMs: -1 })).toThrow(RangeError);
  });
});

describe('faults through the EC2 client', () => {
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  const start = async (faults: FaultOptions) => {
    sandbox = await createSandbox({ seed: 5, size: 300, now: '2026-11-25', faults });
    const account = sandbox.estate.aws.accounts.find((a) => a.management)!;
    return (region = 'us-east-1', requestTimeout?: number) =>
      new EC2Client({
        endpoint: sandbox!.awsOrigin,
        region,
        maxAttempts: 1,
        credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey },
        ...(requestTimeout ? { requestHandler: new NodeHttpHandler({ requestTimeout, throwOnRequestTimeout: true }) } : {}),
      });
  };

  const failure = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      const e = error as { name: string; code?: string; $metadata?: { httpStatusCode?: number } };
      return { name: e.name, code: e.code, status: e.$metadata?.httpStatusCode };
    }
    throw new Error('expected the call to fail');
  };

  it('throttling answers RequestLimitExceeded once the bucket is empty', async () => {
    const client = (await start({ throttle: { capacity: 3, refillPerSecond: 0.01 } }))();
    for (let i = 0; i < 3; i++) await client.send(new DescribeVolumesCommand({ MaxResults: 5 }));
    expect(await failure(client.send(new DescribeVolumesCommand({ MaxResults: 5 })))).toMatchObject({
      name: 'RequestLimitExceeded',
      status: 503,
    });
    expect(sandbox!.faultStats().throttled).toBe(1);
  });

  it('the error rate yields 5xx answers', async () => {
    const client = (await start({ errorRate: 1 }))();
    const result = await failure(client.send(new DescribeInstancesCommand({})));
    expect(result.status).toBeGreaterThanOrEqual(500);
    expect(result.name).toBe('InternalError');
  });

  it('the reset rate drops the connection without an answer', async () => {
    const client = (await start({ resetRate: 1 }))();
    const result = await failure(client.send(new DescribeInstancesCommand({})));
    expect(result.status).toBeUndefined();
    expect(`${result.name} ${result.code}`).toMatch(/ECONNRESET|socket hang up|TimeoutError|Error/);
    expect(sandbox!.faultStats().resets).toBe(1);
  });

  it('a region in outage times out while other regions answer, and close() still completes', async () => {
    const client = await start({ outages: ['eu-west-1', 'us-east-1'] });
    const account = sandbox!.estate.aws.accounts.find((a) => a.management)!;
    const other = account.regions.find((r) => r !== 'us-east-1' && r !== 'eu-west-1')!;
    const result = await failure(client('us-east-1', 300).send(new DescribeInstancesCommand({})));
    expect(result.name).toMatch(/TimeoutError/);
    const ok = await client(other).send(new DescribeInstancesCommand({}));
    expect(ok.$metadata.httpStatusCode).toBe(200);
    // A request still held when the sandbox closes must not keep it open.
    const pending = client('us-east-1')
      .send(new DescribeInstancesCommand({}))
      .catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sandbox!.close();
    expect(await pending).toBeInstanceOf(Error);
    expect(sandbox!.faultStats().outages).toBe(2);
  });
});

describe('operations chosen to fail', () => {
  const at = (method: string, url: string, headers: Record<string, string> = {}): SandboxRequest => ({
    method,
    url: new URL(url),
    headers,
    body: Buffer.alloc(0),
  });

  it('are named as each cloud’s permissions name them', () => {
    expect(
      awsOperation({
        ...at('GET', 'http://x/?Action=DeleteVolume&VolumeId=vol-1'),
        aws: { service: 'ec2', region: 'r', accessKeyId: 'k' },
      }),
    ).toBe('DeleteVolume');
    expect(
      awsOperation({
        ...at('POST', 'http://x/', { 'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData' }),
        aws: { service: 'monitoring', region: 'r', accessKeyId: 'k' },
      }),
    ).toBe('GetMetricData');
    const vm = 'https://x/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1';
    expect(armOperation(at('POST', `${vm}/deallocate?api-version=2024-07-01`))).toBe('Microsoft.Compute/virtualMachines/deallocate/action');
    expect(armOperation(at('DELETE', 'https://x/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/d1'))).toBe(
      'Microsoft.Compute/disks/delete',
    );
    expect(armOperation(at('GET', 'https://x/subscriptions/s/providers/Microsoft.Network/publicIPAddresses'))).toBe(
      'Microsoft.Network/publicIPAddresses/read',
    );
    expect(googleOperation(at('POST', 'http://x/compute/v1/projects/p/zones/z/instances/i/stop'))).toBe('compute.instances.stop');
    expect(googleOperation(at('DELETE', 'http://x/compute/v1/projects/p/regions/r/addresses/a'))).toBe('compute.addresses.delete');
    expect(googleOperation(at('GET', 'http://x/compute/v1/projects/p/aggregated/disks'))).toBe('compute.disks.list');
  });

  it('are read from OPERATION[#N][:error|:denied], and a bad one is refused naming the flag', () => {
    expect(parseOperationFaults('--fail', ['DeleteVolume#2:denied', 'StopInstances', 'compute.disks.delete:error'])).toEqual([
      { operation: 'DeleteVolume', nth: 2, answer: 'denied' },
      { operation: 'StopInstances', nth: undefined, answer: 'server-error' },
      { operation: 'compute.disks.delete', nth: undefined, answer: 'server-error' },
    ]);
    expect(() => parseOperationFaults('--fail', 'DeleteVolume#0')).toThrow(/--fail/);
    expect(() => parseOperationFaults('--fail', 'DeleteVolume:maybe')).toThrow(UsageError);
  });

  it('count only calls of the named operation, so the Nth is the Nth of that operation', async () => {
    const injector = new FaultInjector({ failOperations: [{ operation: 'B', nth: 2, answer: 'server-error' }] });
    const door = {
      cloud: 'aws',
      claims: () => true,
      unrouted: () => ({ status: 404 }),
      operation: (req: SandboxRequest) => req.headers.op,
    } as FrontDoor;
    const out: string[] = [];
    for (const op of ['A', 'B', 'A', 'B', 'B']) {
      const answer = await injector.intercept({ ...request(), headers: { op } }, fakeService, ctx, door);
      out.push(answer === undefined ? 'ok' : String((answer as { status: number }).status));
    }
    expect(out).toEqual(['ok', 'ok', 'ok', '500', 'ok']);
  });
});
