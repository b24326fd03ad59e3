#!/usr/bin/env node
// Entry point: builds the commander program from the registry in commands/, runs it, and maps
// typed errors to exit codes. Nothing else lives here.

import module from 'node:module';

module.enableCompileCache?.();

const { main } = await import('../commands/program.js');
process.exitCode = await main(process.argv, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }, process.env);
