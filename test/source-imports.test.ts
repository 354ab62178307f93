// The shape of source/: no module imports itself through others, type imports and dynamic imports
// included. A cycle is how layers leak into each other (the state importing the view that imports
// the state), and it makes the order modules are evaluated in depend on who is imported first.
import {readdirSync, readFileSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import ts from 'typescript';
import {describe, expect, test} from 'vitest';

const root = fileURLToPath(new URL('../source', import.meta.url));

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, {withFileTypes: true}).flatMap(entry => {
		const path = join(dir, entry.name);
		return entry.isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(entry.name) ? [path] : [];
	});
}

/** The source files a file imports: static, `import type`, `export … from`, `import()` and `typeof import()`. */
function importsOf(path: string, files: ReadonlySet<string>): string[] {
	const {importedFiles} = ts.preProcessFile(readFileSync(path, 'utf8'), true, true);
	return importedFiles
		.map(({fileName}) => fileName)
		.filter(name => name.startsWith('.'))
		.map(name => resolve(dirname(path), name.replace(/\.js$/, '')))
		.map(base => [`${base}.ts`, `${base}.tsx`].find(candidate => files.has(candidate)) ?? `${base} (missing)`);
}

/** Every cycle found by a depth-first walk, each as the files around it. */
function cycles(graph: ReadonlyMap<string, string[]>): string[][] {
	const found: string[][] = [];
	const done = new Set<string>();
	const stack: string[] = [];
	const visit = (file: string) => {
		const at = stack.indexOf(file);
		if (at !== -1) {
			found.push([...stack.slice(at), file]);
			return;
		}

		if (done.has(file)) {
			return;
		}

		stack.push(file);
		for (const next of graph.get(file) ?? []) {
			visit(next);
		}

		stack.pop();
		done.add(file);
	};

	for (const file of graph.keys()) {
		visit(file);
	}

	return found;
}

describe('source/ imports', () => {
	const files = sourceFiles(root);
	const known = new Set(files);
	const graph = new Map(files.map(file => [file, importsOf(file, known)]));

	test('every relative import names a file that exists', () => {
		const missing = [...graph.entries()].flatMap(([file, imports]) => imports.filter(name => name.endsWith('(missing)')).map(name => `${relative(root, file)} -> ${relative(root, name)}`));
		expect(missing).toEqual([]);
	});

	test('no import cycle, type imports included', () => {
		const named = cycles(graph).map(cycle => cycle.map(file => relative(root, file)).join(' -> '));
		expect(named).toEqual([]);
	});

	test('the walk finds a cycle when there is one', () => {
		const looped = new Map([
			['a', ['b']],
			['b', ['c']],
			['c', ['a']],
			['d', ['a']],
		]);
		expect(cycles(looped)).toEqual([['a', 'b', 'c', 'a']]);
	});
});
