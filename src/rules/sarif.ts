// SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer). Beyond the OASIS schema, GitHub
// needs: driver.rules with short/full descriptions and help text, ruleIndex, level, a string
// properties["security-severity"], at most 20 tags per rule, a stable partialFingerprint, and one
// physical location per result. Cloud findings have no file, so they get a synthetic, stable URI.

import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../model/finding.js';
import type { Rule, RuleReference } from './rule.js';
import type { ScanReport } from './scan.js';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const INFORMATION_URI = 'https://github.com/guardian-cloud/guardian';
const FINGERPRINT_KEY = 'guardianFinding/v1';
/** GitHub code scanning rejects a run with more results than this. */
export const MAX_RESULTS_PER_RUN = 25_000;

/** GitHub's bands: ≥ 9 critical, 7–8.9 high, 4–6.9 medium, < 4 low. */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

export function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  if (severity === 'critical' || severity === 'high') return 'error';
  return severity === 'medium' ? 'warning' : 'note';
}

function referenceText(ref: RuleReference): string {
  return `${ref.benchmark} v${ref.version} ${ref.control}${ref.title ? ` (${ref.title})` : ''}`;
}

function referenceTag(ref: RuleReference): string {
  return `${ref.framework}-${ref.control}`.toLowerCase();
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** PascalCase name GitHub shows beside the id: "SecurityGroupAllowsSshFrom0000". */
function ruleName(rule: Rule): string {
  return rule.title
    .replace(/[^A-Za-z0-9 ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');
}

function sarifRule(rule: Rule) {
  const cloud = rule.kinds[0].split('.')[0];
  const tags = [...new Set(['security', cloud, ...rule.tags, ...rule.references.map(referenceTag)])].slice(0, 20);
  const refs = rule.references.map(referenceText);
  const helpText = `${rule.description}\n\nRemediation: ${rule.remediation}${refs.length ? `\n\nReferences:\n${refs.map((r) => `- ${r}`).join('\n')}` : ''}`;
  const helpMarkdown = `${rule.description}\n\n**Remediation:** ${rule.remediation}${refs.length ? `\n\n**References:**\n${refs.map((r) => `- ${r}`).join('\n')}` : ''}`;
  return {
    id: rule.id,
    name: ruleName(rule),
    shortDescription: { text: rule.title },
    fullDescription: { text: truncate(rule.description, 1024) },
    help: { text: helpText, markdown: helpMarkdown },
    defaultConfiguration: { level: sarifLevel(rule.severity) },
    properties: {
      tags,
      precision: 'high',
      'problem.severity': sarifLevel(rule.severity) === 'note' ? 'recommendation' : sarifLevel(rule.severity),
      'security-severity': SECURITY_SEVERITY[rule.severity],
    },
  };
}

/** `guardian/<cloud>/<account>/<region>/<resource-id>`, each part percent-encoded so ARNs and ARM ids stay one segment. */
export function syntheticUri(finding: Finding): string {
  const { cloud, account, region, id } = finding.resource;
  return ['guardian', cloud, account, region, id].map((part) => encodeURIComponent(part || '-')).join('/');
}

/** Forward slashes, no leading "./": how GitHub expects repository-relative paths. */
function planUri(planFile: string): string {
  return planFile
    .replaceAll('\\', '/')
    .replace(/^\.\//, '')
    .split('/')
    .map((part) => encodeURIComponent(part))
    .join('/');
}

export function findingHash(finding: Finding): string {
  return createHash('sha256').update(finding.fingerprint).digest('hex');
}

/** The parts of a SARIF log Guardian writes (and its tests read). */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: {
      driver: { name: string; version: string; semanticVersion: string; informationUri: string; rules: ReturnType<typeof sarifRule>[] };
    };
    automationDetails: { id: string };
    invocations: { executionSuccessful: boolean }[];
    results: SarifResult[];
    properties: Record<string, unknown>;
  }[];
}

export interface SarifResult {
  ruleId: string;
  kind: 'fail';
  baselineState?: 'new' | 'unchanged';
  ruleIndex?: number;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } };
    logicalLocations: { name: string; fullyQualifiedName: string; kind: string }[];
  }[];
  partialFingerprints: Record<string, string>;
  properties: { resourceId: string; [key: string]: unknown };
}

export interface SarifOptions {
  toolVersion: string;
  /** runAutomationDetails.id: distinct per kind of upload for one commit (e.g. guardian/plan/, guardian/aws/). */
  category: string;
}

export function toSarif(report: ScanReport, options: SarifOptions): SarifLog {
  const ruleIndex = new Map(report.rules.map((rule, index) => [rule.id, index]));
  // Findings come most severe first, so a cut keeps the ones that matter.
  const results = report.findings.slice(0, MAX_RESULTS_PER_RUN).map((finding): SarifResult => {
    const uri = finding.source ? planUri(finding.source.planFile) : syntheticUri(finding);
    const unknown = finding.status === 'unknown';
    return {
      ruleId: finding.ruleId,
      ruleIndex: ruleIndex.get(finding.ruleId),
      kind: 'fail' as const,
      level: sarifLevel(finding.severity),
      message: { text: unknown ? `${finding.message} (Unverified: treated as a finding until the value is known.)` : finding.message },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri }, region: { startLine: 1, startColumn: 1 } },
          logicalLocations: [
            {
              name: finding.resource.name || finding.resource.id,
              fullyQualifiedName: finding.source?.address ?? `${finding.resource.cloud}/${finding.resource.account}/${finding.resource.id}`,
              kind: 'resource',
            },
          ],
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: findingHash(finding) },
      ...(finding.baseline ? { baselineState: finding.baseline === 'new' ? ('new' as const) : ('unchanged' as const) } : {}),
      properties: {
        status: finding.status,
        severity: finding.severity,
        cloud: finding.resource.cloud,
        account: finding.resource.account,
        region: finding.resource.region,
        resourceKind: finding.resource.kind,
        resourceId: finding.resource.id,
        ...(finding.unknownAttributes ? { unknownAttributes: finding.unknownAttributes } : {}),
      },
    };
  });
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: 'Guardian',
            version: options.toolVersion,
            semanticVersion: options.toolVersion,
            informationUri: INFORMATION_URI,
            rules: report.rules.map(sarifRule),
          },
        },
        automationDetails: { id: options.category.endsWith('/') ? options.category : `${options.category}/` },
        invocations: [{ executionSuccessful: true }],
        results,
        properties: {
          resources: report.summary.resources,
          evaluations: report.summary.evaluations,
          suppressed: report.summary.suppressed,
          omittedResults: Math.max(0, report.findings.length - MAX_RESULTS_PER_RUN),
        },
      },
    ],
  };
}
