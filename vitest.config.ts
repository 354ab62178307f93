import {readFileSync} from 'node:fs';
import {defineConfig} from 'vitest/config';

const pkg = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8')) as {version: string};

export default defineConfig({
	define: {
		__CL_EXPORTS_VERSION__: JSON.stringify(pkg.version),
	},
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		globalSetup: ['test/helpers/global-setup.ts'],
		testTimeout: 20_000,
		hookTimeout: 30_000,
	},
});
