// Elastic Load Balancing v2 over the query protocol: DescribeLoadBalancers (Marker/PageSize 1–400),
// DescribeListeners per load balancer and DescribeTags (up to 20 ARNs a call).
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeLoadBalancers.html

import type { LoadBalancer } from '../estate/types.js';
import type { SandboxContext, SandboxResponse, SandboxService } from '../server/types.js';
import { type AwsCaller, callerScope, regionalQueryCaller } from './identity.js';
import { decodeToken, el, encodeToken, esc, listParam, queryError, queryFaultResponse, queryParams, queryResult } from './protocol.js';

const XMLNS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

function loadBalancers(ctx: SandboxContext, caller: AwsCaller, region: string): LoadBalancer[] {
  return (ctx.index.byScope.get(`aws.elbv2.load-balancer|${caller.account.id}|${region}`) ?? []) as LoadBalancer[];
}

function page<T>(params: URLSearchParams, listing: string, items: T[]): { items: T[]; next?: string } | SandboxResponse {
  const rawSize = params.get('PageSize');
  const size = rawSize === null ? 400 : Number(rawSize);
  if (!Number.isInteger(size) || size < 1 || size > 400) {
    return queryError(
      400,
      'ValidationError',
      `1 validation error detected: Value '${rawSize}' at 'pageSize' failed to satisfy constraint: Member must have value ${size < 1 ? 'greater than or equal to 1' : 'less than or equal to 400'}`,
      XMLNS,
    );
  }
  let offset = 0;
  const marker = params.get('Marker');
  if (marker) {
    const decoded = decodeToken(listing, marker);
    if (decoded === undefined) return queryError(400, 'ValidationError', 'Invalid value for marker', XMLNS);
    offset = decoded;
  }
  const slice = items.slice(offset, offset + size);
  const end = offset + slice.length;
  return { items: slice, next: end < items.length ? encodeToken(listing, end) : undefined };
}

function renderLoadBalancer(r: LoadBalancer): string {
  const s = r.spec;
  let groups = '';
  for (const id of s.securityGroupIds) groups += `<member>${id}</member>`;
  const zones = ['a', 'b']
    .map(
      (suffix) =>
        `<member><ZoneName>${r.region}${suffix}</ZoneName><SubnetId>subnet-${r.region.replaceAll('-', '')}${suffix}</SubnetId></member>`,
    )
    .join('');
  return (
    `<member><LoadBalancerArn>${esc(r.id)}</LoadBalancerArn><DNSName>${esc(s.dnsName)}</DNSName><CanonicalHostedZoneId>Z32O12XQLNTSW2</CanonicalHostedZoneId>` +
    `<CreatedTime>${r.createdAt}</CreatedTime><LoadBalancerName>${esc(r.name)}</LoadBalancerName><Scheme>${s.scheme}</Scheme>` +
    `<VpcId>${s.vpcId}</VpcId><State><Code>${s.state}</Code></State><Type>${s.type}</Type><AvailabilityZones>${zones}</AvailabilityZones>` +
    `${s.type === 'application' ? `<SecurityGroups>${groups}</SecurityGroups>` : ''}<IpAddressType>ipv4</IpAddressType></member>`
  );
}

function describeLoadBalancers(params: URLSearchParams, ctx: SandboxContext, caller: AwsCaller, region: string): SandboxResponse {
  let all = loadBalancers(ctx, caller, region);
  const arns = listParam(params, 'LoadBalancerArns.member');
  const names = listParam(params, 'Names.member');
  if (arns.length > 0 || names.length > 0) {
    const found = all.filter((r) => arns.includes(r.id) || names.includes(r.name));
    if (found.length < arns.length + names.length)
      return queryError(400, 'LoadBalancerNotFound', 'One or more load balancers not found', XMLNS);
    all = found;
  }
  const result = page(params, 'DescribeLoadBalancers', all);
  if ('status' in result) return result;
  let items = '';
  for (const lb of result.items) items += renderLoadBalancer(lb);
  return queryResult('DescribeLoadBalancers', XMLNS, `<LoadBalancers>${items}</LoadBalancers>${el('NextMarker', result.next)}`);
}

function describeListeners(params: URLSearchParams, ctx: SandboxContext, caller: AwsCaller, region: string): SandboxResponse {
  const arn = params.get('LoadBalancerArn');
  const listenerArns = listParam(params, 'ListenerArns.member');
  if (!arn && listenerArns.length === 0) {
    return queryError(400, 'ValidationError', 'You must specify either listener ARNs or a load balancer ARN', XMLNS);
  }
  const owned = loadBalancers(ctx, caller, region);
  let listeners: { lb: LoadBalancer; listener: LoadBalancer['spec']['listeners'][number] }[];
  if (arn) {
    const lb = owned.find((r) => r.id === arn);
    if (!lb) return queryError(400, 'LoadBalancerNotFound', `Load balancer '${arn}' not found`, XMLNS);
    listeners = lb.spec.listeners.map((listener) => ({ lb, listener }));
  } else {
    listeners = owned.flatMap((lb) => lb.spec.listeners.filter((l) => listenerArns.includes(l.arn)).map((listener) => ({ lb, listener })));
    if (listeners.length < listenerArns.length) return queryError(400, 'ListenerNotFound', 'One or more listeners not found', XMLNS);
  }
  const result = page(params, `DescribeListeners:${arn ?? ''}`, listeners);
  if ('status' in result) return result;
  let items = '';
  for (const { lb, listener } of result.items) {
    const secure = listener.protocol === 'HTTPS' || listener.protocol === 'TLS';
    const certificate = secure
      ? `<Certificates><member><CertificateArn>arn:aws:acm:${lb.region}:${lb.account}:certificate/${lb.name}</CertificateArn></member></Certificates>`
      : '';
    items +=
      `<member><ListenerArn>${esc(listener.arn)}</ListenerArn><LoadBalancerArn>${esc(lb.id)}</LoadBalancerArn><Port>${listener.port}</Port>` +
      `<Protocol>${listener.protocol}</Protocol>${el('SslPolicy', listener.sslPolicy)}${certificate}` +
      `<DefaultActions><member><Type>forward</Type><TargetGroupArn>arn:aws:elasticloadbalancing:${lb.region}:${lb.account}:targetgroup/${esc(lb.name)}/0000000000000000</TargetGroupArn></member></DefaultActions></member>`;
  }
  return queryResult('DescribeListeners', XMLNS, `<Listeners>${items}</Listeners>${el('NextMarker', result.next)}`);
}

function describeTags(params: URLSearchParams, ctx: SandboxContext, caller: AwsCaller, region: string): SandboxResponse {
  const arns = listParam(params, 'ResourceArns.member');
  if (arns.length === 0 || arns.length > 20) {
    return queryError(
      400,
      'ValidationError',
      `1 validation error detected: Value at 'resourceArns' failed to satisfy constraint: Member must have length ${arns.length === 0 ? 'greater than or equal to 1' : 'less than or equal to 20'}`,
      XMLNS,
    );
  }
  const owned = new Map(loadBalancers(ctx, caller, region).map((r) => [r.id, r]));
  let items = '';
  for (const arn of arns) {
    const lb = owned.get(arn);
    if (!lb) return queryError(400, 'LoadBalancerNotFound', `Load balancer '${arn}' not found`, XMLNS);
    let tags = '';
    for (const key in lb.tags) tags += `<member><Key>${esc(key)}</Key><Value>${esc(lb.tags[key])}</Value></member>`;
    items += `<member><ResourceArn>${esc(arn)}</ResourceArn><Tags>${tags}</Tags></member>`;
  }
  return queryResult('DescribeTags', XMLNS, `<TagDescriptions>${items}</TagDescriptions>`);
}

export const elbv2: SandboxService = {
  name: 'aws.elbv2',
  matches: (req) => req.aws?.service === 'elasticloadbalancing',
  scope: callerScope,
  handle(req, ctx) {
    const authorized = regionalQueryCaller(req, ctx, XMLNS);
    if ('error' in authorized) return authorized.error;
    const { caller, region } = authorized;
    const params = queryParams(req);
    const action = params.get('Action');
    if (action === 'DescribeLoadBalancers') return describeLoadBalancers(params, ctx, caller, region);
    if (action === 'DescribeListeners') return describeListeners(params, ctx, caller, region);
    if (action === 'DescribeTags') return describeTags(params, ctx, caller, region);
    return queryError(400, 'InvalidAction', `The action ${action} is not valid for this web service.`, XMLNS);
  },
  faultResponse: queryFaultResponse(XMLNS),
};
