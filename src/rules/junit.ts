// JUnit XML for CI test reporters: one <testsuite> per rule and one <testcase> per rule × resource
// it read. A finding is a <failure>; a suppressed or baselined finding is <skipped> with the reason.
// Escaping is fast-xml-parser's; characters XML 1.0 forbids are dropped first.

import { XMLBuilder } from 'fast-xml-parser';
import type { Finding, FindingResource } from '../model/finding.js';
import type { ScanReport } from './scan.js';

// XML 1.0 allows tab, LF, CR and U+0020 upward (minus surrogates and U+FFFE/U+FFFF).
const FORBIDDEN = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlSafe(text: string): string {
  return text.replace(FORBIDDEN, '');
}

function caseName(resource: FindingResource): string {
  const name = resource.name && resource.name !== resource.id ? ` (${resource.name})` : '';
  return xmlSafe(`${resource.cloud}/${resource.account}/${resource.region}/${resource.id}${name}`);
}

interface TestCase {
  '@_classname': string;
  '@_name': string;
  '@_time': string;
  failure?: { '@_message': string; '@_type': string; '#text': string };
  skipped?: { '@_message': string };
}

export function toJunit(report: ScanReport, remediation: (ruleId: string) => string): string {
  const cases = new Map<string, TestCase[]>(report.rules.map((rule) => [rule.id, []]));
  const push = (ruleId: string, testCase: TestCase) => cases.get(ruleId)?.push(testCase);
  const base = (ruleId: string, resource: FindingResource) => ({ '@_classname': ruleId, '@_name': caseName(resource), '@_time': '0' });
  const failureText = (finding: Finding) =>
    xmlSafe(
      `${finding.message}\nSeverity: ${finding.severity}${finding.status === 'unknown' ? ' (unverified)' : ''}\nRemediation: ${remediation(finding.ruleId)}`,
    );

  for (const finding of report.findings) {
    const testCase: TestCase = base(finding.ruleId, finding.resource);
    if (finding.baseline === 'existing') testCase.skipped = { '@_message': xmlSafe(`recorded in the baseline: ${finding.message}`) };
    else
      testCase.failure = {
        '@_message': xmlSafe(finding.message),
        '@_type': finding.status === 'unknown' ? `${finding.severity}/unknown` : finding.severity,
        '#text': failureText(finding),
      };
    push(finding.ruleId, testCase);
  }
  for (const { finding, suppression } of report.suppressed) {
    push(finding.ruleId, {
      ...base(finding.ruleId, finding.resource),
      skipped: { '@_message': xmlSafe(`suppressed (${suppression.origin}): ${suppression.reason}`) },
    });
  }
  for (const pass of report.passes) push(pass.ruleId, base(pass.ruleId, pass.resource));

  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const suites = report.rules.map((rule) => {
    const list = (cases.get(rule.id) ?? []).sort((a, b) => a['@_name'].localeCompare(b['@_name']));
    const suiteFailures = list.filter((c) => c.failure).length;
    const suiteSkipped = list.filter((c) => c.skipped).length;
    tests += list.length;
    failures += suiteFailures;
    skipped += suiteSkipped;
    return {
      '@_name': xmlSafe(`${rule.id} ${rule.title}`),
      '@_tests': String(list.length),
      '@_failures': String(suiteFailures),
      '@_errors': '0',
      '@_skipped': String(suiteSkipped),
      '@_time': '0',
      testcase: list,
    };
  });
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true });
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': 'guardian scan',
      '@_tests': String(tests),
      '@_failures': String(failures),
      '@_errors': '0',
      '@_skipped': String(skipped),
      '@_time': '0',
      testsuite: suites,
    },
  }) as string;
}
