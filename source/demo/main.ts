// Entry of `npm run demo-server` (dist/demo-server.js, which `node dist/cli.js --demo-server` loads):
// runs the demo API until Ctrl-C or SIGTERM, then exits. A CommonJS file, so no top-level await.
import process from 'node:process';
import {runDemoServer} from './run-server.js';

void runDemoServer(process.argv.slice(2), {stdout: process.stdout, stderr: process.stderr}).then(code => {
	process.exitCode = code;
});
