// `sandbox serve`'s life cycle (src/sandbox/serve.ts): the sandbox it starts answers through a real
// SDK at the endpoint and with the keys it describes, serves until the signal, and leaves nothing
// behind: its port closed and its credential files removed.

import { existsSync } from 'node:fs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { guardianConfigLines, renderServeText, type ServeInfo, serveSandbox } from '../../src/sandbox/serve.js';

const OPTIONS = { seed: 3, size: 50, now: '2026-11-20T00:00:00.000Z', port: 0, azurePort: 0, faults: {} };

function sts(info: ServeInfo) {
  return new STSClient({
    endpoint: info.endpoints.aws,
    region: info.env.AWS_REGION,
    credentials: { accessKeyId: info.env.AWS_ACCESS_KEY_ID, secretAccessKey: info.env.AWS_SECRET_ACCESS_KEY },
    maxAttempts: 1,
  });
}

describe('sandbox serve', () => {
  it('serves the described endpoints until the signal, then closes them and removes its files', async () => {
    const controller = new AbortController();
    const verbose: string[] = [];
    let seen: ServeInfo | undefined;
    let account: string | undefined;
    let filesWhileRunning = false;
    const done = serveSandbox(OPTIONS, {
      signal: controller.signal,
      log: { verbose: (line) => verbose.push(line) },
      onReady: (info) => {
        seen = info;
        filesWhileRunning = Object.values(info.files).every((file) => existsSync(file));
        void sts(info)
          .send(new GetCallerIdentityCommand({}))
          .then((answer) => {
            account = answer.Account;
            controller.abort();
          }, controller.abort.bind(controller));
      },
    });
    await done;
    const info = seen!;
    expect(info).toMatchObject({ seed: 3, size: 50, now: OPTIONS.now, awsProfile: 'guardian-demo' });
    expect(account).toMatch(/^\d{12}$/);
    expect(filesWhileRunning).toBe(true);
    for (const file of Object.values(info.files)) expect(existsSync(file)).toBe(false);
    await expect(sts(info).send(new GetCallerIdentityCommand({}))).rejects.toThrow();
    expect(verbose[0]).toBe('generating a 50-resource estate (seed 3)…');
    expect(verbose[1]).toMatch(/^served \d+ requests \(throttled 0, 5xx 0, resets 0, held 0\)$/);
    // The text form names the same endpoints and the Guardian profile commands.
    const text = renderServeText(info);
    expect(text).toContain(`export AWS_ENDPOINT_URL=${info.endpoints.aws}`);
    for (const line of info.guardianConfig) expect(text).toContain(line);
  });

  it('returns at once when the signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    let ready = 0;
    await serveSandbox(OPTIONS, { signal: controller.signal, log: { verbose: () => {} }, onReady: () => ready++ });
    expect(ready).toBe(1);
  });

  it('writes the Guardian profile as config set lines, the secret piped rather than given as an argument', () => {
    const files = { awsConfig: '/t/config', awsCredentials: '/t/credentials', gcpKey: '/t/key.json', caFile: '/t/ca.pem' };
    const lines = guardianConfigLines(
      {
        aws: { profiles: ['a', 'b'], assumeRole: 'Audit', endpoint: 'http://127.0.0.1:1' },
        azure: { tenantId: 't', clientId: 'c', clientSecret: 'never-printed', authorityHost: 'https://x', endpoint: 'https://y' },
        gcp: { projects: ['p'], endpoint: 'http://127.0.0.1:1', billingExportTable: 'p.d.t' },
      },
      files,
    );
    expect(lines).toContain('guardian --profile sandbox config set aws.profiles a,b');
    expect(lines).toContain('guardian --profile sandbox config set gcp.billingExportTable p.d.t');
    expect(lines).toContain('printenv AZURE_CLIENT_SECRET | guardian --profile sandbox config set azure.clientSecret - --secret');
    expect(lines.join('\n')).not.toContain('never-printed');
  });
});
