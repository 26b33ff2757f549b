#!/usr/bin/env node
// Entry point for `npx ingot`: registers the TypeScript loader, then runs the command line.
import { register } from 'tsx/esm/api';

// A closed pipe (`ingot bars export | head`) ends the command quietly.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
