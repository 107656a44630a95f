#!/usr/bin/env node
import { processIo } from './cli-io.js';
import { runCli } from './program.js';

// Ctrl-C stops training or evaluation after the current batch (a clean AbortError); a second Ctrl-C quits.
const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(130);
  process.stderr.write('\nncf: stopping after the current batch (Ctrl-C again to quit now)\n');
  controller.abort();
});

runCli(process.argv.slice(2), { ...processIo(), signal: controller.signal }).then(
  (code) => {
    process.exit(controller.signal.aborted ? 130 : code);
  },
  (err: unknown) => {
    process.stderr.write(`ncf: ${String(err)}\n`);
    process.exit(1);
  },
);
