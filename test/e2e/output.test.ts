// Output as a user meets it, end to end: tables that fit COLUMNS, text from files and clouds that
// cannot drive the terminal, and the shaping flags (--query, -o yaml, -o wide, --sort-by,
// --no-headers) on the commands that print JSON and tables.

import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../src/model/resource.js';

const BIN = path.resolve('dist/bin/guardian.js');
const DEMO = { GUARDIAN_DEMO_SEED: '42', GUARDIAN_DEMO_SIZE: '300', GUARDIAN_DEMO_NOW: '2026-11-25' };
const ESC = '\u001b';
/** ESC with a colour, an OSC window-title sequence ended by BEL, NUL, a carriage return and line breaks. */
const HOSTILE = `${ESC}[31mred${ESC}]0;pwned\u0007\u0000nul\rcr\nsecond line\n`;
let dir: string;

function guardian(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  return execa(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? dir,
    reject: false,
    extendEnv: false,
    stdin: 'ignore',
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      CI: 'true',
      GUARDIAN_CONFIG_DIR: path.join(dir, 'config'),
      GUARDIAN_DATA_DIR: path.join(dir, 'data'),
      ...DEMO,
      ...options.env,
    },
  });
}

const widest = (text: string) => Math.max(0, ...text.split('\n').map((line) => [...line].length));
/** Bytes a terminal acts on: every C0 control but line feed, and DEL. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f]/;

const base = { tags: {}, relations: [], region: 'eu-west-1', account: '111122223333', cloud: 'aws' as const };
const hostileName = `bastion${ESC}]0;owned\u0007${ESC}[2J\nnext`;
const resources: Resource[] = [
  {
    ...base,
    kind: 'aws.ec2.security-group',
    id: 'sg-0aaa',
    name: hostileName,
    tags: { owner: `${ESC}[31mmallory` },
    attributes: { isDefault: false, ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, source: '0.0.0.0/0' }] },
  },
  { ...base, kind: 'aws.ec2.volume', id: 'vol-0bbb', name: 'zeta-data', attributes: { encrypted: false } },
  { ...base, kind: 'aws.ec2.volume', id: 'vol-0ccc', name: 'alpha-data', attributes: { encrypted: false } },
];

let snapshot: string;
let evil: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'guardian-output-e2e-'));
  snapshot = path.join(dir, 'snapshot.json');
  await writeFile(
    snapshot,
    JSON.stringify({ schemaVersion: 1, kind: 'guardian.snapshot', resources, errors: [], scopes: [], complete: true }),
  );
  evil = path.join(dir, 'evil.json');
  await writeFile(evil, HOSTILE);
});

describe('tables fit COLUMNS=100', () => {
  it.each([
    ['scan', ['scan', '--profile', 'demo']],
    ['scan --list-rules', ['scan', '--list-rules']],
    ['config test', ['config', 'test', '--profile', 'demo']],
    ['costs --estimate', ['costs', '--estimate', '--profile', 'demo']],
  ])('%s prints no line wider than 100 columns', async (_name, args) => {
    const result = await guardian(args, { env: { COLUMNS: '100' } });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.split('\n').length).toBeGreaterThan(5);
    expect(widest(result.stdout)).toBeLessThanOrEqual(100);
  });

  it('gives scan findings their remediation in the table and says which columns it left out', async () => {
    const result = await guardian(['scan', '--input', snapshot], { env: { COLUMNS: '100' } });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('Remediation');
    expect(result.stdout).toContain('revoke-security-group-ingress');
    expect(result.stderr).toContain('not shown at 100 columns: Where');
    const wide = await guardian(['scan', '--input', snapshot, '-o', 'wide'], { env: { COLUMNS: '100' } });
    expect(wide.stdout).toContain('Where');
    expect(widest(wide.stdout)).toBeGreaterThan(100);
  });

  it('gives scan findings their remediation in --json', async () => {
    const result = await guardian(['scan', '--input', snapshot, '--json']);
    const body = JSON.parse(result.stdout);
    expect(body.findings.length).toBeGreaterThan(0);
    for (const finding of body.findings) expect(finding.remediation).toMatch(/\S{3,}/);
  });
});

describe('text from files and clouds reaches the terminal escaped', () => {
  const oneSafeLine = (stderr: string) => {
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(CONTROL);
  };

  it.each([
    ['--input', ['scan', '--input', 'evil.json']],
    ['scan --plan', ['scan', '--plan', 'evil.json']],
    ['--baseline', ['scan', '--input', 'snapshot.json', '--baseline', 'evil.json']],
    ['discover diff', ['discover', 'diff', 'evil.json', 'evil.json']],
    ['costs --estimate --input', ['costs', '--estimate', '--input', 'evil.json']],
  ])('%s with a file of escape sequences fails on one line with them escaped', async (_name, args) => {
    const result = await guardian(args);
    expect(result.exitCode).toBe(2);
    oneSafeLine(result.stderr);
    expect(result.stderr).toContain('\\x1b');
  });

  it('reads a suppressions file of escape sequences without echoing them', async () => {
    const cwd = path.join(dir, 'suppressions');
    await mkdir(cwd, { recursive: true });
    await writeFile(path.join(cwd, '.guardian-suppressions.yaml'), `suppressions: [${HOSTILE}`);
    const broken = await guardian(['scan', '--input', snapshot], { cwd });
    expect(broken.exitCode).toBe(2);
    oneSafeLine(broken.stderr);
    await writeFile(
      path.join(cwd, '.guardian-suppressions.yaml'),
      `suppressions:\n  - rule: "AWS-EC2-001${ESC}]0;t\u0007"\n    reason: "a\\u0000b\\nc"\n`,
    );
    const invalid = await guardian(['scan', '--input', snapshot], { cwd });
    expect(invalid.exitCode).toBe(2);
    oneSafeLine(invalid.stderr);
  });

  it('escapes control characters in resource names and tags in tables, keeping JSON exact', async () => {
    const table = await guardian(['scan', '--input', snapshot]);
    expect(table.exitCode, table.stderr).toBe(0);
    expect(table.stdout).not.toMatch(CONTROL);
    expect(table.stdout).toContain('bastion\\x1b]0;owned\\x07\\x1b[2J\\nnext');
    const json = await guardian(['scan', '--input', snapshot, '--json']);
    expect(json.stdout).not.toMatch(CONTROL);
    expect(JSON.parse(json.stdout).findings.some((f: { resource: { name: string } }) => f.resource.name === hostileName)).toBe(true);
    const markdown = await guardian(['scan', '--input', snapshot, '-o', 'markdown']);
    expect(markdown.stdout).not.toMatch(CONTROL);
    const estimate = await guardian(['costs', '--estimate', '--input', snapshot]);
    expect(estimate.stdout).not.toMatch(CONTROL);
  });
});

describe('output shaping', () => {
  it('applies --query to the JSON of scan, costs, config test and discover', async () => {
    const scan = await guardian(['scan', '--input', snapshot, '--json', '--query', 'findings[].resource.id']);
    expect(scan.exitCode, scan.stderr).toBe(0);
    expect(JSON.parse(scan.stdout)).toEqual(expect.arrayContaining(['sg-0aaa', 'vol-0bbb', 'vol-0ccc']));
    const estimate = await guardian(['costs', '--estimate', '--input', snapshot, '--json', '--query', 'counts']);
    expect(Object.keys(JSON.parse(estimate.stdout))).toEqual(['priced', 'free', 'unpriced']);
    const check = await guardian(['config', 'test', '--profile', 'demo', '--json', '--query', 'ok']);
    expect(check.stdout.trim()).toBe('true');
    const kinds = await guardian(['discover', '--list-kinds', '--json', '--query', 'kinds[0]']);
    expect(JSON.parse(kinds.stdout)).toMatch(/^aws\./);
    const discover = await guardian([
      'discover',
      '--profile',
      'demo',
      '--no-save',
      '--provider',
      'gcp',
      '--json',
      '--query',
      'summary.resources',
    ]);
    expect(discover.exitCode, discover.stderr).toBe(0);
    expect(Number(discover.stdout)).toBeGreaterThan(0);
  });

  it('applies --query to each NDJSON line', async () => {
    const result = await guardian(['discover', '--profile', 'demo', '--no-save', '--provider', 'gcp', '-o', 'ndjson', '--query', 'kind']);
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(JSON.parse(line)).toMatch(/^gcp\./);
  });

  it('prints the JSON document as YAML with -o yaml', async () => {
    const result = await guardian(['scan', '--input', snapshot, '-o', 'yaml', '--query', 'summary']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^findings: \d+$/m);
  });

  it('answers a bad query, a query on a non-JSON format and an unknown sort column with exit 2 and one line', async () => {
    for (const args of [
      ['scan', '--input', snapshot, '--json', '--query', 'findings[?'],
      ['scan', '--input', snapshot, '-o', 'sarif', '--query', 'runs'],
      ['scan', '--input', snapshot, '--sort-by', 'colour'],
      ['scan', '--input', snapshot, '--json', '--sort-by', 'rule'],
      ['costs', '--estimate', '--input', snapshot, '--sort-by', 'nosuch'],
    ]) {
      const result = await guardian(args);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stdout, args.join(' ')).toBe('');
      expect(result.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('sorts table and CSV rows with --sort-by and leaves the header out with --no-headers', async () => {
    const csv = await guardian(['scan', '--input', snapshot, '-o', 'csv', '--sort-by=-resource-name', '--no-headers']);
    expect(csv.exitCode, csv.stderr).toBe(0);
    const names = csv.stdout
      .trim()
      .split('\r\n')
      .map((line) => line.split(',')[9]);
    expect(names.filter((name) => name.endsWith('-data'))).toEqual(['zeta-data', 'alpha-data']);
    expect(names.indexOf('zeta-data')).toBe(0);
    expect(csv.stdout).not.toContain('severity,status');
    const table = await guardian(['scan', '--input', snapshot, '--sort-by', 'resource', '--no-headers']);
    expect(table.exitCode, table.stderr).toBe(0);
    expect(table.stdout).not.toContain('│ Rule');
    expect(table.stdout.indexOf('alpha-data')).toBeLessThan(table.stdout.indexOf('zeta-data'));
  });
});
