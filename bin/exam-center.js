#!/usr/bin/env node
// The one CLI (`npx exam-center …`, `npm start`): runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../server/src/cli.ts');
const code = await runCli(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
