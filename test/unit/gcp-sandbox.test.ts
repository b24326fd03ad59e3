// The sandbox's GCP wire (OAuth2 token endpoint + Compute Engine REST) exercised through the
// official clients: google-auth-library's JWT flow and @google-cloud/compute's REST transport.

import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComputeClients, callCompute, createComputeClients } from '../../src/providers/gcp/clients.js';
import { classifyGcpError } from '../../src/providers/gcp/errors.js';
import { withoutOneofMarkers } from '../../src/providers/gcp/normalize.js';
import type { Estate } from '../../src/sandbox/estate/types.js';
import { services } from '../../src/sandbox/gcp/index.js';
import { buildGcpEstate, type GcpSandbox, startGcpSandbox } from './gcp-fixture.js';

type Json = Record<string, unknown>;

let estate: Estate;
let sandbox: GcpSandbox;
let clients: ComputeClients;
const signal = new AbortController().signal;

beforeAll(async () => {
  estate = buildGcpEstate(3);
  sandbox = await startGcpSandbox(estate);
  clients = await createComputeClients({ keyFile: sandbox.keyFile, endpoint: sandbox.origin }, {});
});

afterAll(async () => {
  await Promise.all(
    Object.entries(clients ?? {}).map(([name, client]) =>
      name === 'credentials' ? undefined : (client as { close(): Promise<void> }).close(),
    ),
  );
  await sandbox?.close();
});

/** One raw page: the decoded response body (gax's third result with autoPaginate off). */
async function page(client: keyof Omit<ComputeClients, 'credentials'>, method: string, request: Json): Promise<Json> {
  return ((await callCompute(clients[client], method, request, signal, 10_000))[2] ?? {}) as Json;
}

async function expectRejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

function estateIds(kind: string, project = 'acme-prod'): string[] {
  return estate.resources.filter((resource) => resource.kind === kind && resource.account === project).map((resource) => resource.id);
}

async function writeKeyFile(name: string, contents: Json): Promise<string> {
  const path = join(dirname(sandbox.keyFile), name);
  await writeFile(path, JSON.stringify(contents), { mode: 0o600 });
  return path;
}

describe('OAuth2 token endpoint', () => {
  it('issues an access token for an assertion signed with the registered service-account key', async () => {
    const token = await clients.credentials.auth.getAccessToken();
    const value = typeof token === 'string' ? token : token?.token;
    expect(value).toMatch(/^ya29\./);
  });

  it('refuses an assertion signed with an unregistered key with invalid_grant', async () => {
    const good = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(sandbox.keyFile, 'utf8')));
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const keyFile = await writeKeyFile('stolen.json', { ...good, private_key: privateKey });
    const other = await createComputeClients({ keyFile, endpoint: sandbox.origin }, {});
    const error = await expectRejection(other.credentials.auth.getAccessToken());
    expect(classifyGcpError(error)).toMatchObject({
      class: 'auth',
      code: 'invalid_grant',
      message: 'invalid_grant: Invalid JWT Signature.',
    });
    const listing = await expectRejection(callCompute(other.instances, 'aggregatedList', { project: 'acme-prod' }, signal, 10_000));
    expect(classifyGcpError(listing).class).toBe('auth');
  });

  it('refuses an unknown service account with invalid_grant', async () => {
    const good = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(sandbox.keyFile, 'utf8')));
    const keyFile = await writeKeyFile('other-account.json', { ...good, client_email: 'someone@else.iam.gserviceaccount.com' });
    const other = await createComputeClients({ keyFile, endpoint: sandbox.origin }, {});
    const error = await expectRejection(other.credentials.auth.getAccessToken());
    expect(classifyGcpError(error)).toMatchObject({
      class: 'auth',
      code: 'invalid_grant',
      message: 'invalid_grant: Invalid grant: account not found',
    });
  });

  it('answers other grant types and malformed assertions as the real endpoint does', async () => {
    const post = (body: string) =>
      fetch(`${sandbox.origin}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    const wrongGrant = await post('grant_type=client_credentials');
    expect(wrongGrant.status).toBe(400);
    expect(await wrongGrant.json()).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'Invalid grant_type: client_credentials',
    });
    const garbage = await post('grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=not.a.jwt');
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as Json).error).toBe('invalid_grant');
  });
});

describe('Compute Engine authentication', () => {
  it('answers a request without a token with 401 UNAUTHENTICATED in Google’s error shape', async () => {
    const response = await fetch(`${sandbox.origin}/compute/v1/projects/acme-prod/aggregated/instances`);
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: Json & { errors: Json[] } };
    expect(body.error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED' });
    expect(body.error.errors[0]).toMatchObject({ reason: 'required', domain: 'global' });
  });

  it('answers an unknown token with 401 authError', async () => {
    const response = await fetch(`${sandbox.origin}/compute/v1/projects/acme-prod/global/firewalls`, {
      headers: { authorization: 'Bearer ya29.forged' },
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { errors: Json[] } }).error.errors[0].reason).toBe('authError');
  });
});

describe('aggregatedList', () => {
  it('pages instances with maxResults and pageToken, listing every zone on every page', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const body = await page('instances', 'aggregatedList', {
        project: 'acme-prod',
        maxResults: 2,
        ...(token ? { pageToken: token } : {}),
      });
      const items = body.items as Record<string, { instances?: Json[]; warning?: Json }>;
      expect(Object.keys(items)).toEqual(['zones/us-central1-a', 'zones/us-central1-b', 'zones/europe-west1-b']);
      for (const [scope, scoped] of Object.entries(items)) {
        if (scoped.instances && scoped.instances.length > 0) {
          for (const instance of scoped.instances) {
            expect(String(instance.zone).endsWith(scope)).toBe(true);
            seen.push(String(instance.id));
          }
        } else {
          expect(scoped.warning).toMatchObject({
            code: 'NO_RESULTS_ON_PAGE',
            message: `There are no results for scope '${scope}' on this page.`,
            data: [{ key: 'scope', value: scope }],
          });
        }
      }
      token = (body.nextPageToken as string | undefined) || undefined;
      pages += 1;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual(estateIds('gcp.compute.instance'));
    // us-central1-b has no instances at all: it still appears, with the warning.
  });

  it('is what the SDK’s own async iterator walks to the end', async () => {
    const { InstancesClient } = await import('@google-cloud/compute/build/src/v1/instances_client.js');
    const client = clients.instances as unknown as InstanceType<typeof InstancesClient>;
    const ids: string[] = [];
    for await (const [, scoped] of client.aggregatedListAsync({ project: 'acme-prod', maxResults: 4 }, { autoPaginate: false })) {
      for (const instance of scoped.instances ?? []) ids.push(String(instance.id));
    }
    expect(ids).toEqual(estateIds('gcp.compute.instance'));
  });

  it('lists disks, and addresses by region with a global scope', async () => {
    const disks = await page('disks', 'aggregatedList', { project: 'acme-prod' });
    const diskIds = Object.values(disks.items as Record<string, { disks?: Json[] }>).flatMap((scoped) =>
      (scoped.disks ?? []).map((disk) => String(disk.id)),
    );
    expect(diskIds.sort()).toEqual(estateIds('gcp.compute.disk').sort());
    const addresses = await page('addresses', 'aggregatedList', { project: 'acme-prod' });
    const items = addresses.items as Record<string, { addresses?: Json[]; warning?: Json }>;
    expect(Object.keys(items)).toEqual(['regions/us-central1', 'regions/europe-west1', 'global']);
    expect(items['regions/us-central1'].addresses?.[0]).toMatchObject({ name: 'web-ip', status: 'IN_USE', addressType: 'EXTERNAL' });
    expect(items.global.warning).toMatchObject({ code: 'NO_RESULTS_ON_PAGE' });
    expect(addresses.nextPageToken ?? '').toBe('');
  });

  it('applies filter expressions before paging', async () => {
    const running = await page('instances', 'aggregatedList', { project: 'acme-prod', filter: 'status = RUNNING AND labels.env = prod' });
    const names = Object.values(running.items as Record<string, { instances?: Json[] }>).flatMap((scoped) =>
      (scoped.instances ?? []).map((i) => i.name),
    );
    const expected = estate.resources
      .filter((r) => r.kind === 'gcp.compute.instance' && r.account === 'acme-prod' && r.spec.status === 'RUNNING')
      .map((r) => r.name);
    expect(names).toEqual(expected);
    const regex = await page('instances', 'aggregatedList', { project: 'acme-prod', filter: 'name eq web-eu-.*' });
    const euNames = Object.values(regex.items as Record<string, { instances?: Json[] }>).flatMap((scoped) =>
      (scoped.instances ?? []).map((i) => i.name),
    );
    expect(euNames).toEqual(['web-eu-0', 'web-eu-1', 'web-eu-2']);
  });
});

describe('global and zonal lists', () => {
  it('pages snapshots and firewalls with pageToken and omits items on an empty list', async () => {
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const body = await page('snapshots', 'list', { project: 'acme-prod', maxResults: 4, ...(token ? { pageToken: token } : {}) });
      ids.push(...(body.items as Json[]).map((snapshot) => String(snapshot.id)));
      token = (body.nextPageToken as string | undefined) || undefined;
    } while (token);
    expect(ids).toEqual(estateIds('gcp.compute.snapshot'));
    const firewalls = await page('firewalls', 'list', { project: 'acme-prod' });
    expect((firewalls.items as Json[]).map((firewall) => firewall.name)).toEqual(['allow-ssh-world', 'allow-internal']);
    const staging = await page('firewalls', 'list', { project: 'acme-staging' });
    expect(staging.items).toEqual([]);
  });

  it('lists one zone’s disks and gets a single instance', async () => {
    const body = await page('disks', 'list', { project: 'acme-prod', zone: 'us-central1-a' });
    expect((body.items as Json[]).map((disk) => disk.name)).toEqual(['web-us-0', 'web-us-1', 'web-us-2', 'orphan-data']);
    const [instance] = (await callCompute(
      clients.instances,
      'get',
      { project: 'acme-prod', zone: 'us-central1-a', instance: 'web-us-1' },
      signal,
      10_000,
    )) as Json[];
    expect(instance).toMatchObject({ name: 'web-us-1', status: 'RUNNING' });
    expect(withoutOneofMarkers((instance.metadata as { items: Json[] }).items)).toEqual([
      { key: 'serial-port-enable', value: 'true' },
      { key: 'block-project-ssh-keys', value: 'true' },
    ]);
  });
});

describe('errors', () => {
  it('answers an API it does not serve with Google’s 404 NOT_FOUND JSON error, not text', async () => {
    const response = await fetch(`${sandbox.origin}/storage/v1/b?project=acme-prod`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = (await response.json()) as { error: { code: number; status: string; errors: { reason: string }[] } };
    expect(body.error).toMatchObject({ code: 404, status: 'NOT_FOUND', errors: [{ reason: 'notFound' }] });
  });

  it('answers an unknown project with 404 notFound', async () => {
    const error = await expectRejection(page('instances', 'aggregatedList', { project: 'no-such-project' }));
    expect(classifyGcpError(error)).toMatchObject({
      class: 'not-found',
      code: 'NOT_FOUND',
      message: "The resource 'projects/no-such-project' was not found",
    });
  });

  it('answers a bad pageToken and an oversized maxResults with 400 invalid', async () => {
    const token = await expectRejection(page('instances', 'aggregatedList', { project: 'acme-prod', pageToken: 'garbage' }));
    expect(classifyGcpError(token)).toMatchObject({
      class: 'fatal',
      code: 'INVALID_ARGUMENT',
      message: "Invalid value for field 'pageToken': 'garbage'. Invalid page token.",
    });
    const size = await expectRejection(page('firewalls', 'list', { project: 'acme-prod', maxResults: 501 }));
    expect(classifyGcpError(size).message).toBe("Invalid value for field 'maxResults': '501'. Must be less than or equal to 500");
  });

  it('answers a malformed filter with 400', async () => {
    const error = await expectRejection(page('instances', 'aggregatedList', { project: 'acme-prod', filter: 'status = (' }));
    expect(classifyGcpError(error).message).toMatch(/Invalid list filter expression/);
  });
});

describe('faults', () => {
  const compute = services.find((service) => service.name === 'gcp.compute')!;

  it('scopes a request by project and zone or region, and aggregatedList by project alone', () => {
    const request = (path: string) => ({ method: 'GET', url: new URL(`http://x${path}`), headers: {}, body: Buffer.alloc(0) });
    const ctx = undefined as never;
    expect(compute.scope(request('/compute/v1/projects/acme-prod/aggregated/instances'), ctx)).toEqual({
      account: 'acme-prod',
      region: 'global',
    });
    expect(compute.scope(request('/compute/v1/projects/acme-prod/zones/us-central1-a/disks'), ctx)).toEqual({
      account: 'acme-prod',
      region: 'us-central1-a',
    });
    expect(compute.scope(request('/compute/v1/projects/acme-prod/regions/europe-west1/addresses'), ctx)).toEqual({
      account: 'acme-prod',
      region: 'europe-west1',
    });
  });

  it('throttles with 429 RESOURCE_EXHAUSTED / rateLimitExceeded and fails with 503 UNAVAILABLE', async () => {
    const faults: ('throttle' | 'server-error')[] = ['throttle', 'server-error'];
    sandbox.server.intercept((req, service) => {
      const fault = service.name === 'gcp.compute' ? faults.shift() : undefined;
      return fault ? service.faultResponse(req, fault) : undefined;
    });
    try {
      const throttled = await expectRejection(page('instances', 'aggregatedList', { project: 'acme-prod' }));
      expect(classifyGcpError(throttled)).toMatchObject({ class: 'throttle', code: 'RESOURCE_EXHAUSTED' });
      const failed = await expectRejection(page('instances', 'aggregatedList', { project: 'acme-prod' }));
      expect(classifyGcpError(failed)).toMatchObject({ class: 'transient', code: 'UNAVAILABLE' });
      const body = await page('instances', 'aggregatedList', { project: 'acme-prod' });
      expect(body.items).toBeDefined();
    } finally {
      sandbox.server.intercept(() => undefined);
    }
  });

  it('classifies a reset connection as transient', async () => {
    let reset = true;
    sandbox.server.intercept((_req, service) => {
      if (service.name !== 'gcp.compute' || !reset) return undefined;
      reset = false;
      return 'reset';
    });
    try {
      const error = await expectRejection(page('firewalls', 'list', { project: 'acme-prod' }));
      expect(classifyGcpError(error).class).toBe('transient');
    } finally {
      sandbox.server.intercept(() => undefined);
    }
  });
});
