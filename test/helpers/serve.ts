// `guardian sandbox serve --json` as a child process for end-to-end tests: resolves with what it
// prints (endpoints, env, the profile and the commands that store it) once the document is whole.

import { execa, type ResultPromise } from 'execa';

export interface ServeInfo {
  env: Record<string, string>;
  endpoints: Record<'aws' | 'azure' | 'gcp', string>;
  guardianConfig: string[];
}

export interface ServedSandbox {
  info: ServeInfo;
  process: ResultPromise;
  stop(): Promise<void>;
}

export async function serveSandbox(env: NodeJS.ProcessEnv, args: string[] = []): Promise<ServedSandbox> {
  const child = execa(process.execPath, ['dist/bin/guardian.js', 'sandbox', 'serve', '--port', '0', '--json', ...args], {
    reject: false,
    env,
    extendEnv: false,
    stdin: 'ignore',
  });
  const info = await new Promise<ServeInfo>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      try {
        resolve(JSON.parse(text) as ServeInfo);
      } catch {
        // not all of it yet
      }
    });
    child.then((done) => reject(new Error(`sandbox serve exited early: ${done.stderr}`)));
  });
  return {
    info,
    process: child,
    stop: async () => {
      child.kill('SIGINT');
      await child;
    },
  };
}
