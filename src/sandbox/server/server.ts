// The sandbox's HTTP(S) core: reads each request, hands it to its cloud's front door (AWS checks
// the signature; every cloud answers a route no module serves in its own error shape), works out
// which service module serves it, applies injected faults (faults.ts) and writes the response.

import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Estate } from '../estate/types.js';
import { FRONT_DOORS } from '../front-doors.js';
import { parseSigV4 } from './sigv4.js';
import { SandboxState } from './state.js';
import { EstateStore } from './store.js';
import type { FrontDoor, SandboxContext, SandboxRequest, SandboxResponse, SandboxService } from './types.js';

export interface ListenOptions {
  host?: string;
  port?: number;
  /** PEM key and certificate: serve HTTPS (the Azure pipeline refuses bearer tokens over HTTP). */
  tls?: { key: string; cert: string };
}

/** Hook that runs before dispatch: may answer instead of the service (an injected fault). */
export type RequestInterceptor = (
  req: SandboxRequest,
  service: SandboxService,
  ctx: SandboxContext,
  door?: FrontDoor,
) => Promise<SandboxResponse | 'reset' | undefined> | SandboxResponse | 'reset' | undefined;

export class SandboxServer {
  private readonly servers: (http.Server | https.Server)[] = [];
  /** Service-owned state shared by every listener, in typed slots (issued tokens, registered keys, lookups…). */
  readonly state: SandboxState;
  /** The estate's resources and their lookup tables; mutating calls change them through it. */
  readonly store: EstateStore;
  private interceptor?: RequestInterceptor;
  /** Requests served, by service name (benchmarks and tests read it). */
  readonly requestCounts = new Map<string, number>();

  constructor(
    estate: Estate | EstateStore,
    private readonly services: SandboxService[],
    // Every cloud's front door by default, so no server (a test's included) skips the signature check.
    private readonly frontDoors: FrontDoor[] = FRONT_DOORS,
  ) {
    this.store = estate instanceof EstateStore ? estate : new EstateStore(estate);
    this.state = new SandboxState(() => ({ estate: this.store.estate, index: this.store.index }));
    this.store.onChange(() => this.state.estateChanged());
  }

  get estate(): Estate {
    return this.store.estate;
  }

  intercept(interceptor: RequestInterceptor): void {
    this.interceptor = interceptor;
  }

  /** Start a listener and resolve to its origin (e.g. http://127.0.0.1:4566). */
  async listen(options: ListenOptions = {}): Promise<string> {
    const handler = (request: http.IncomingMessage, response: http.ServerResponse) => {
      void this.serve(request, response, origin);
    };
    const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler) : http.createServer(handler);
    server.keepAliveTimeout = 60_000;
    this.servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    const address = server.address() as AddressInfo;
    const origin = `${options.tls ? 'https' : 'http'}://${address.address}:${address.port}`;
    return origin;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
  }

  private async serve(request: http.IncomingMessage, response: http.ServerResponse, origin: string): Promise<void> {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const url = new URL(request.url ?? '/', origin);
      const headers: Record<string, string | undefined> = {};
      for (const [key, value] of Object.entries(request.headers)) headers[key] = Array.isArray(value) ? value.join(',') : value;
      const sandboxRequest: SandboxRequest = {
        method: request.method ?? 'GET',
        url,
        headers,
        body: Buffer.concat(chunks),
        rawTarget: request.url ?? '/',
      };
      const sig = parseSigV4(headers.authorization, url.searchParams);
      if (sig) sandboxRequest.aws = { service: sig.service, region: sig.region, accessKeyId: sig.accessKeyId };
      // Changes scheduled to land by now (a stopping instance now stopped) land before anything reads the estate.
      this.store.settle();
      const ctx: SandboxContext = { estate: this.store.estate, origin, index: this.store.index, store: this.store, state: this.state };
      const door = this.frontDoors.find((candidate) => candidate.claims(sandboxRequest, ctx));
      const service = this.services.find((candidate) => candidate.matches(sandboxRequest));
      if (!service) {
        this.write(
          response,
          door?.unrouted(sandboxRequest, ctx) ?? {
            status: 404,
            headers: { 'content-type': 'text/plain' },
            body: `no sandbox service for ${request.method} ${url.pathname}`,
          },
        );
        return;
      }
      const refused = door?.admit ? await door.admit(sandboxRequest, ctx) : undefined;
      if (refused) {
        this.write(response, refused);
        return;
      }
      this.requestCounts.set(service.name, (this.requestCounts.get(service.name) ?? 0) + 1);
      const injected = this.interceptor ? await this.interceptor(sandboxRequest, service, ctx, door) : undefined;
      if (injected === 'reset') {
        request.socket.destroy();
        return;
      }
      this.write(response, injected ?? (await service.handle(sandboxRequest, ctx)));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.write(response, { status: 500, headers: { 'content-type': 'text/plain' }, body: `sandbox error: ${message}` });
    }
  }

  private write(response: http.ServerResponse, result: SandboxResponse): void {
    if (response.destroyed) return;
    const body = result.body ?? '';
    response.writeHead(result.status, { 'content-length': Buffer.byteLength(body), ...result.headers });
    response.end(body);
  }
}
