#!/usr/bin/env node
// Entry point: builds the commander program from the registry in commands/, runs it, and maps
// typed errors to exit codes. Nothing else lives here.

import module from 'node:module';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  // Guardian's dependencies (commander, conf, the cloud SDKs) need Node 22+: say so, not a stack trace.
  process.stderr.write(
    `guardian: Node.js 22 or newer is required (this is ${process.version}); from a clone, run it with 'npx guardian'\n`,
  );
  process.exit(3);
}

module.enableCompileCache?.();

const { main } = await import('../commands/program.js');
process.exitCode = await main(process.argv, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }, process.env);
