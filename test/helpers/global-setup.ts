// Builds dist/ once before the suite, so end-to-end tests run the same bundle users run.
import {execFileSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';

export default function setup() {
	const root = fileURLToPath(new URL('../..', import.meta.url));
	execFileSync(process.execPath, ['scripts/build.js', '--if-needed'], {cwd: root, stdio: 'inherit'});
}
