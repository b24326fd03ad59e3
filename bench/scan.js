// Scan throughput: 100,000 resources from the sandbox's estate generator (realistic mix of kinds,
// tags, rules and planted misconfigurations), turned into Resources the way the providers report
// them, then every rule in the catalog over all of them. Load and scan are timed separately.
// Target: scan under 2 s. Usage: npm run bench:scan [-- --size 100000 --runs 3 --per-rule]

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const TARGET_MS = 2000;
const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const size = arg('--size', 100_000);
const runs = arg('--runs', 3);

const dist = (path) => new URL(`../dist/src/${path}`, import.meta.url);
if (!existsSync(fileURLToPath(dist('rules/engine.js')))) {
  console.error('bench: dist/ is missing; run npm run build first');
  process.exit(2);
}
const { generateEstate } = await import(dist('sandbox/estate/generate.js'));
const { loadCatalog } = await import(dist('rules/catalog.js'));
const { runRules } = await import(dist('rules/engine.js'));

const PROTOCOL = { '-1': 'all', tcp: 'tcp', udp: 'udp', icmp: 'icmp' };

/** What each provider reports for an estate record: the attributes the rules read. */
function toResource(record) {
  const s = record.spec;
  const attributes = {};
  const relations = [];
  switch (record.kind) {
    case 'aws.ec2.instance':
      Object.assign(attributes, {
        instanceType: s.instanceType,
        publicIp: s.publicIp,
        privateIp: s.privateIp,
        imdsV1Allowed: s.httpTokens === 'optional',
      });
      for (const id of s.securityGroupIds) relations.push({ type: 'protected-by', target: id });
      break;
    case 'aws.ec2.volume':
      Object.assign(attributes, { sizeGb: s.sizeGb, volumeType: s.volumeType, encrypted: s.encrypted });
      if (s.attachedInstanceId) relations.push({ type: 'attached-to', target: s.attachedInstanceId });
      break;
    case 'aws.ec2.snapshot':
      Object.assign(attributes, { sizeGb: s.sizeGb, encrypted: s.encrypted, public: s.public });
      break;
    case 'aws.ec2.security-group':
      attributes.isDefault = s.isDefault;
      attributes.ingress = s.ingress.flatMap((p) => {
        const protocol = PROTOCOL[p.protocol] ?? p.protocol;
        const ports = protocol === 'all' ? {} : { fromPort: p.fromPort, toPort: p.toPort };
        return [...p.cidrs, ...p.ipv6Cidrs, ...p.groups].map((source) => ({ protocol, ...ports, source, action: 'allow' }));
      });
      break;
    case 'aws.ec2.address':
      attributes.publicIp = s.publicIp;
      if (s.instanceId) relations.push({ type: 'associated-with', target: s.instanceId });
      break;
    case 'aws.ec2.image':
      attributes.public = s.public;
      break;
    case 'aws.rds.instance':
      Object.assign(attributes, {
        encrypted: s.storageEncrypted,
        public: s.publiclyAccessible,
        backupRetentionDays: s.backupRetentionDays,
        deletionProtection: s.deletionProtection,
        engine: s.engine,
      });
      break;
    case 'aws.s3.bucket':
      Object.assign(attributes, {
        publicAccessBlock: s.publicAccessBlock !== undefined,
        defaultEncryption: s.encryption !== undefined,
        versioning: s.versioning,
      });
      break;
    case 'aws.elbv2.load-balancer':
      Object.assign(attributes, {
        scheme: s.scheme,
        lbType: s.type,
        listeners: s.listeners.map(({ protocol, port, sslPolicy }) => ({ protocol, port, sslPolicy })),
      });
      break;
    case 'azure.compute.vm':
      Object.assign(attributes, { managedDisks: s.osVhdUri === undefined, publicIp: s.publicIpId ? '20.0.0.1' : undefined });
      break;
    case 'azure.compute.disk':
    case 'azure.compute.snapshot':
      Object.assign(attributes, {
        cmek: s.encryptionType === 'EncryptionAtRestWithCustomerKey',
        networkAccessPolicy: s.networkAccessPolicy,
      });
      break;
    case 'azure.network.nsg':
      attributes.ingress = s.rules
        .filter((r) => r.direction === 'Inbound')
        .map((r) => {
          const [from, to] = r.destinationPortRange === '*' ? [] : r.destinationPortRange.split('-').map(Number);
          return {
            protocol: r.protocol === '*' ? 'all' : r.protocol.toLowerCase(),
            ...(from === undefined ? {} : { fromPort: from, toPort: to ?? from }),
            source: r.sourceAddressPrefix,
            action: r.access === 'Deny' ? 'deny' : 'allow',
            priority: r.priority,
          };
        });
      break;
    case 'azure.network.public-ip':
      attributes.publicIp = s.ipAddress;
      if (s.vmId) relations.push({ type: 'associated-with', target: s.vmId });
      break;
    case 'gcp.compute.instance':
      Object.assign(attributes, {
        publicIp: s.natIp,
        serviceAccount: s.serviceAccountEmail,
        serviceAccountScopes: s.scopes,
        serialPortEnabled: s.serialPortEnabled,
        projectSshKeysBlocked: s.blockProjectSshKeys,
      });
      break;
    case 'gcp.compute.disk':
    case 'gcp.compute.snapshot':
      attributes.cmek = s.kmsKeyName !== undefined;
      break;
    case 'gcp.compute.firewall':
      Object.assign(attributes, { direction: s.direction, disabled: s.disabled });
      attributes.ingress = s.allowed.flatMap((a) =>
        (a.ports?.length ? a.ports : ['*']).flatMap((port) => {
          const [from, to] = port === '*' ? [] : port.split('-').map(Number);
          return s.sourceRanges.map((source) => ({
            protocol: a.IPProtocol,
            ...(from === undefined ? {} : { fromPort: from, toPort: to ?? from }),
            source,
            action: 'allow',
            priority: s.priority,
          }));
        }),
      );
      break;
    case 'gcp.compute.address':
      attributes.addressType = s.addressType;
      break;
  }
  const cloud = record.kind.slice(0, record.kind.indexOf('.'));
  return {
    cloud,
    kind: record.kind,
    id: record.id,
    name: record.name,
    account: record.account,
    region: record.region,
    tags: record.tags,
    attributes,
    relations,
  };
}

const t0 = performance.now();
const estate = generateEstate({ seed: 7, size, now: '2026-06-01' });
const t1 = performance.now();
const resources = estate.resources.map(toResource);
const t2 = performance.now();
const catalog = await loadCatalog();
const t3 = performance.now();

const scans = [];
let result;
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  result = runRules(catalog, resources);
  scans.push(performance.now() - start);
}
const best = Math.min(...scans);
const median = [...scans].sort((a, b) => a - b)[Math.floor(scans.length / 2)];
const ms = (value) => `${value.toFixed(0)} ms`;

console.log(`resources:   ${resources.length.toLocaleString('en-US')} (${new Set(resources.map((r) => r.kind)).size} kinds)`);
console.log(`rules:       ${catalog.length}`);
console.log(`load:        ${ms(t2 - t0)} (generate ${ms(t1 - t0)}, to Resource ${ms(t2 - t1)}); catalog ${ms(t3 - t2)}`);
console.log(`scan:        median ${ms(median)}, best ${ms(best)} over ${runs} run(s): ${scans.map(ms).join(', ')}`);
console.log(
  `evaluations: ${result.evaluations.toLocaleString('en-US')} rule × resource checks, ${result.findings.length.toLocaleString('en-US')} findings`,
);
console.log(
  `target:      scan < ${TARGET_MS} ms → ${median < TARGET_MS ? 'met' : 'MISSED'} (${(median / TARGET_MS).toFixed(2)}× of budget)`,
);
if (process.argv.includes('--per-rule')) {
  // Where the time goes: each rule alone over the same resources (includes the per-run indexing).
  const perRule = catalog.map((rule) => {
    const start = performance.now();
    runRules([rule], resources);
    return [rule.id, performance.now() - start];
  });
  perRule.sort((a, b) => b[1] - a[1]);
  for (const [id, time] of perRule.slice(0, 10)) console.log(`  ${id.padEnd(12)} ${ms(time)}`);
}
process.exitCode = median < TARGET_MS ? 0 : 1;
