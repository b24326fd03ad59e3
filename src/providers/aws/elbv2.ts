// Application and network load balancers with their listeners. DescribeLoadBalancers carries
// neither listeners nor tags, so each page costs one DescribeListeners call per load balancer
// and one DescribeTags call per 20 load balancers, run side by side.

import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  type Listener,
  type LoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import pLimit from 'p-limit';
import type { Relation, Resource } from '../../model/resource.js';
import { defineKind, type KindSpec, type ListOptions, type Scope } from '../types.js';
import { isoDate, tagRecord } from './ec2.js';
import type { AwsScopeHandle } from './scopes.js';
import type { AwsClients } from './session.js';
import { ResumeCache, subCall } from './subcalls.js';

const PAGE = 50;
const TAGS_PER_CALL = 20;

export function normalizeLoadBalancer(
  scope: Scope,
  lb: LoadBalancer,
  listeners: Listener[],
  tags: Record<string, string>,
  options: ListOptions,
): Resource {
  const relations: Relation[] = [];
  if (lb.VpcId) relations.push({ type: 'in-network', target: lb.VpcId });
  for (const group of lb.SecurityGroups ?? []) relations.push({ type: 'protected-by', target: group });
  const id = lb.LoadBalancerArn ?? '';
  return {
    cloud: 'aws',
    kind: 'aws.elbv2.load-balancer',
    id,
    name: lb.LoadBalancerName ?? id,
    account: scope.account,
    region: scope.region,
    state: lb.State?.Code,
    createdAt: isoDate(lb.CreatedTime),
    tags,
    attributes: {
      scheme: lb.Scheme,
      lbType: lb.Type,
      dnsName: lb.DNSName,
      listeners: listeners.map((listener) => ({
        protocol: listener.Protocol ?? '',
        port: listener.Port ?? 0,
        ...(listener.SslPolicy ? { sslPolicy: listener.SslPolicy } : {}),
      })),
    },
    relations,
    ...(options.raw ? { raw: { ...lb, Listeners: listeners } } : {}),
  };
}

export function elbv2Kinds(clients: AwsClients): KindSpec[] {
  const knownListeners = new ResumeCache<Listener[]>();
  const knownTags = new ResumeCache<Record<string, string>>();
  return [
    defineKind({
      cloud: 'aws',
      kind: 'aws.elbv2.load-balancer',
      scopeType: 'region',
      permissions: [
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeTags',
      ],
      async listPage(scope, token, options) {
        const session = (scope.handle as AwsScopeHandle).session;
        const client = clients.client('elbv2', session, scope.region);
        const call = { abortSignal: options.signal };
        const count = () => options.onRequest?.('elasticloadbalancing');
        count();
        const answer = await client.send(new DescribeLoadBalancersCommand({ PageSize: options.probe ? 1 : PAGE, Marker: token }), call);
        const lbs = answer.LoadBalancers ?? [];
        const key = (arn: string | undefined) => `${session.key}|${arn ?? ''}`;
        const limit = pLimit(clients.options.pageFanOut ?? 32);
        // This page's answers (the cache may drop an entry before the page finishes).
        const listenersOf = new Map<string, Listener[]>();
        const tagsOf = new Map<string, Record<string, string>>();
        const listenerReads = lbs.map((lb) =>
          limit(async () => {
            const cached = knownListeners.get(key(lb.LoadBalancerArn));
            if (cached) {
              listenersOf.set(key(lb.LoadBalancerArn), cached);
              return;
            }
            const listeners: Listener[] = [];
            let marker: string | undefined;
            do {
              const page = await subCall(options.signal, () => {
                count();
                return client.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn, Marker: marker }), call);
              });
              listeners.push(...(page.Listeners ?? []));
              marker = page.NextMarker || undefined;
            } while (marker);
            knownListeners.set(key(lb.LoadBalancerArn), listeners);
            listenersOf.set(key(lb.LoadBalancerArn), listeners);
          }),
        );
        const untagged: string[] = [];
        for (const lb of lbs) {
          const cached = knownTags.get(key(lb.LoadBalancerArn));
          if (cached) tagsOf.set(key(lb.LoadBalancerArn), cached);
          else untagged.push(lb.LoadBalancerArn!);
        }
        const tagReads: Promise<void>[] = [];
        for (let i = 0; i < untagged.length; i += TAGS_PER_CALL) {
          const arns = untagged.slice(i, i + TAGS_PER_CALL);
          tagReads.push(
            limit(async () => {
              const page = await subCall(options.signal, () => {
                count();
                return client.send(new DescribeTagsCommand({ ResourceArns: arns }), call);
              });
              for (const arn of arns) tagsOf.set(key(arn), {});
              for (const description of page.TagDescriptions ?? []) tagsOf.set(key(description.ResourceArn), tagRecord(description.Tags));
              for (const arn of arns) knownTags.set(key(arn), tagsOf.get(key(arn))!);
            }),
          );
        }
        await Promise.all([...listenerReads, ...tagReads]);
        return {
          resources: lbs.map((lb) =>
            normalizeLoadBalancer(
              scope,
              lb,
              listenersOf.get(key(lb.LoadBalancerArn)) ?? [],
              tagsOf.get(key(lb.LoadBalancerArn)) ?? {},
              options,
            ),
          ),
          next: answer.NextMarker || undefined,
        };
      },
    }),
  ];
}
