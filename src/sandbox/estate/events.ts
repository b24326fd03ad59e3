// Scheduled maintenance events of the sandbox's EC2 instances, as DescribeInstanceStatus reports
// them: computed from (seed, instance id, now), like the metrics, so the estate's generator and
// its random draws are untouched. About one running instance in twenty has an upcoming event
// (a reboot, maintenance, a retirement or a stop); some also have a completed one in the past,
// which EC2 keeps listing with "[Completed]" before its description.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-instances-status-check_sched.html

import { hashString, hashWords, unitOf } from './rng.js';
import type { EstateResource } from './types.js';

export const EVENT_CODES = ['instance-reboot', 'system-reboot', 'system-maintenance', 'instance-retirement', 'instance-stop'] as const;
export type EventCode = (typeof EVENT_CODES)[number];

export interface InstanceEvent {
  /** instance-event-… */
  id: string;
  code: EventCode;
  description: string;
  notBefore: string;
  /** Reboots and maintenance have a window; retirements and stops only a date. */
  notAfter?: string;
  completed: boolean;
}

const DESCRIPTIONS: Record<EventCode, string> = {
  'instance-reboot': 'The instance is scheduled for a reboot',
  'system-reboot': 'The instance is scheduled for a reboot',
  'system-maintenance': 'Scheduled system maintenance',
  'instance-retirement': 'The instance is running on degraded hardware',
  'instance-stop': 'The instance is running on degraded hardware',
};

/** Share of running instances with an upcoming event. */
export const EVENT_RATE = 0.05;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function event(key: number, salt: number, code: EventCode, notBeforeMs: number, completed: boolean): InstanceEvent {
  const windowed = code === 'instance-reboot' || code === 'system-reboot' || code === 'system-maintenance';
  return {
    id: `instance-event-0${(hashWords(key, salt, 1) >>> 0).toString(16).padStart(8, '0')}${(hashWords(key, salt, 2) >>> 0).toString(16).padStart(8, '0')}`.slice(
      0,
      32,
    ),
    code,
    description: `${completed ? '[Completed] ' : ''}${DESCRIPTIONS[code]}`,
    notBefore: new Date(notBeforeMs).toISOString(),
    ...(windowed ? { notAfter: new Date(notBeforeMs + 2 * HOUR_MS).toISOString() } : {}),
    completed,
  };
}

/** The events EC2 lists for this instance as of `now`: upcoming first, then a completed one. */
export function instanceEvents(seed: number, now: string, resource: EstateResource): InstanceEvent[] {
  if (resource.kind !== 'aws.ec2.instance' || resource.spec.state !== 'running') return [];
  const key = hashString(resource.id, seed ^ 0x6576);
  const u = (n: number) => unitOf(hashWords(key, n));
  if (u(1) >= EVENT_RATE) return [];
  const nowMs = Date.parse(now);
  const code = EVENT_CODES[Math.floor(u(2) * EVENT_CODES.length)];
  // On the hour, 1 to 14 days ahead.
  const notBefore = Math.floor((nowMs + (1 + 13 * u(3)) * DAY_MS) / HOUR_MS) * HOUR_MS;
  const events = [event(key, 1, code, notBefore, false)];
  if (u(4) < 0.4) events.push(event(key, 2, 'system-reboot', Math.floor((nowMs - (20 + 30 * u(5)) * DAY_MS) / HOUR_MS) * HOUR_MS, true));
  return events;
}
