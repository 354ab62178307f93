// Entry of `npm run demo-server` (dist/demo-server.js, or `node dist/cli.js --demo-server`, which
// imports this module): runs the demo API until Ctrl-C or SIGTERM, then exits.
import process from 'node:process';
import {runDemoServer} from './run-server.js';

process.exitCode = await runDemoServer(process.argv.slice(2), {stdout: process.stdout, stderr: process.stderr});
