// Ink's output-stage patches (patches/ink+6.8.0+002…004: caches shared across frames, bounded
// caches for measuring and wrapping, a row made from its line's tokens) make it reuse, across
// frames, what it computed for earlier frames (line tokens, widths, clipped lines, whole rows). The
// screen must not change by a single byte: these tests render the same frames with the patched Ink
// in node_modules and with an unpatched copy (those patches reverse-applied to a copy of Ink's
// build/), and compare them.
import {EventEmitter} from 'node:events';
import {readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import React from 'react';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {patchesOf, prng, root, scratch, unpatchedCopy} from './helpers/patches.js';

type Clip = {x1: number | undefined; x2: number | undefined; y1: number | undefined; y2: number | undefined};
type Transformer = (line: string, index: number) => string;
type OutputInstance = {
	write(x: number, y: number, text: string, options: {transformers: Transformer[]}): void;
	clip(clip: Clip): void;
	unclip(): void;
	get(): {output: string; height: number};
};
type OutputModule = {default: new (options: {width: number; height: number}) => OutputInstance; endFrame?: () => void};
type FrameMemo = {current: Map<string, unknown>; get(key: string): unknown; set(key: string, value: unknown): unknown; rotate(): void};
type PatchedOutputModule = OutputModule & {endFrame: () => void; FrameMemo: new () => FrameMemo; createFrameMemo: (minEntries: number) => FrameMemo};
type InkModule = typeof import('ink');


let workDir = '';
let unpatchedBuild = '';
const patchedBuild = join(root, 'node_modules', 'ink', 'build');

/**
 * A copy of Ink's build/ with the output-stage patches reverse-applied. The first patch, the
 * cursor fix in log-update.js, stays: it is not part of the output stage.
 */
function makeUnpatchedInk(): string {
	const work = scratch('ink-unpatched-');
	workDir = work.dir;
	const outputStage = patchesOf('ink+6.8.0').filter(name => !name.includes('+cursor-after-trailing-newline.'));
	const ink = unpatchedCopy(workDir, outputStage, 'node_modules/ink', ['build', 'package.json']);
	return join(ink, 'build');
}

beforeAll(() => {
	unpatchedBuild = makeUnpatchedInk();
});

afterAll(() => {
	if (workDir) {
		rmSync(workDir, {recursive: true, force: true});
	}
});

async function load<T>(build: string, file: string): Promise<T> {
	return (await import(pathToFileURL(join(build, file)).href)) as T;
}

test('the unpatched copy really is unpatched, and node_modules really is patched', () => {
	const unpatched = readFileSync(join(unpatchedBuild, 'output.js'), 'utf8');
	const patched = readFileSync(join(patchedBuild, 'output.js'), 'utf8');
	expect(unpatched).toContain('class OutputCaches');
	expect(unpatched).not.toContain('cl-exports patch');
	expect(patched).toContain('cl-exports patch');
	expect(readFileSync(join(patchedBuild, 'renderer.js'), 'utf8')).toContain('endFrame()');
});

// --- Output directly: random frames --------------------------------------------------------------


const esc = '\u001B';
const fragments = [
	'plain ascii',
	'x',
	' ',
	'   trailing   ',
	'夏のセール',
	'全角ＡＢＣ',
	'한국어',
	'😀',
	'👍🏽',
	'👨‍👩‍👧',
	'🇯🇵',
	'❤️',
	'e\u0301',
	'─┌┐│',
	'\t',
	`${esc}[31mred${esc}[39m`,
	`${esc}[1;3;4mbold italic underline${esc}[22;23;24m`,
	`${esc}[38;5;208morange${esc}[39m`,
	`${esc}[48;2;10;20;30mtruecolor bg${esc}[49m`,
	`${esc}[7minverse`,
	`${esc}[0m`,
	`${esc}[32m夏${esc}[39m`,
	`${esc}[2mdim 😀 ${esc}[22m`,
	`${esc}]8;;https://example.com${esc}\\link${esc}]8;;${esc}\\`,
	`${esc}]8;;https://example.com\u0007bel link${esc}]8;;\u0007`,
];
const transformers: Transformer[][] = [
	[],
	[line => line.toUpperCase()],
	[(line, index) => `${index}${esc}[33m>${esc}[39m${line}`],
	[line => `${esc}[7m${line}${esc}[27m`, line => line.trimEnd()],
];

type Operation =
	| {type: 'write'; x: number; y: number; text: string; transformers: Transformer[]}
	| {type: 'clip'; clip: Clip}
	| {type: 'unclip'};
type Frame = {width: number; height: number; operations: Operation[]};

function randomText(random: () => number): string {
	const parts: string[] = [];
	const count = 1 + Math.floor(random() * 5);
	for (let index = 0; index < count; index++) {
		parts.push(fragments[Math.floor(random() * fragments.length)]!);
		if (random() < 0.15) {
			parts.push('\n');
		}
	}

	return parts.join('');
}

function randomFrame(random: () => number, texts: string[]): Frame {
	const width = Math.floor(random() * 30);
	const height = Math.floor(random() * 8);
	const operations: Operation[] = [];
	let depth = 0;
	const count = Math.floor(random() * 14);
	for (let index = 0; index < count; index++) {
		const roll = random();
		if (roll < 0.15) {
			const x1 = Math.floor(random() * 12) - 2;
			const y1 = Math.floor(random() * 5) - 1;
			const horizontal = random() < 0.7;
			const vertical = random() < 0.7;
			operations.push({
				type: 'clip',
				clip: {
					x1: horizontal ? x1 : undefined,
					x2: horizontal ? x1 + Math.floor(random() * 20) : undefined,
					y1: vertical ? y1 : undefined,
					y2: vertical ? y1 + Math.floor(random() * 6) : undefined,
				},
			});
			depth++;
		} else if (roll < 0.22 && depth > 0) {
			operations.push({type: 'unclip'});
			depth--;
		} else {
			// Reuse a text of an earlier frame most of the time, as consecutive screens do.
			const text = texts.length > 0 && random() < 0.6 ? texts[Math.floor(random() * texts.length)]! : randomText(random);
			texts.push(text);
			if (texts.length > 40) {
				texts.shift();
			}

			operations.push({
				type: 'write',
				x: Math.floor(random() * 34) - 4,
				y: Math.floor(random() * 10) - 2,
				text,
				transformers: transformers[Math.floor(random() * transformers.length)]!,
			});
		}
	}

	return {width, height, operations};
}

function draw(module: OutputModule, frame: Frame): string {
	const output = new module.default({width: frame.width, height: frame.height});
	for (const operation of frame.operations) {
		if (operation.type === 'write') {
			output.write(operation.x, operation.y, operation.text, {transformers: operation.transformers});
		} else if (operation.type === 'clip') {
			output.clip(operation.clip);
		} else {
			output.unclip();
		}
	}

	const {output: text, height} = output.get();
	return `${height}|${text}`;
}

describe('Output.get', () => {
	test('random frames: the patched output equals the unpatched output, frame after frame', async () => {
		const unpatched = await load<OutputModule>(unpatchedBuild, 'output.js');
		const patched = await load<PatchedOutputModule>(patchedBuild, 'output.js');
		expect(unpatched.endFrame).toBeUndefined();
		for (const seed of [1, 2, 3]) {
			const random = prng(seed);
			const texts: string[] = [];
			for (let index = 0; index < 700; index++) {
				const frame = randomFrame(random, texts);
				const expected = draw(unpatched, frame);
				// Draw twice (a cold and a warm cache) in some frames, once in others, as Ink does.
				const actual = draw(patched, frame);
				patched.endFrame();
				if (actual !== expected) {
					throw new Error(`seed ${seed}, frame ${index}: ${JSON.stringify(frame)}\nexpected ${JSON.stringify(expected)}\nactual   ${JSON.stringify(actual)}`);
				}

				if (index % 3 === 0) {
					expect(draw(patched, frame)).toBe(expected);
					patched.endFrame();
				}
			}
		}
	});

	test('the caches keep two generations: an entry lives while it is used, and is dropped after a generation unused', async () => {
		const {FrameMemo} = await load<PatchedOutputModule>(patchedBuild, 'output.js');
		const memo = new FrameMemo();
		memo.set('a', 1);
		memo.set('b', 2);
		memo.rotate();
		// Used in the generation after: kept for one more.
		expect(memo.get('a')).toBe(1);
		memo.rotate();
		expect(memo.get('a')).toBe(1);
		// Unused for a whole generation: dropped.
		expect(memo.get('b')).toBeUndefined();
		memo.rotate();
		memo.rotate();
		expect(memo.get('a')).toBeUndefined();
	});

	test('a frame ends a generation only once it holds minEntries entries', async () => {
		const {createFrameMemo, endFrame} = await load<PatchedOutputModule>(patchedBuild, 'output.js');
		const memo = createFrameMemo(3);
		memo.set('a', 1);
		memo.set('b', 2);
		endFrame();
		endFrame();
		// Two entries: still the first generation.
		expect(memo.current.size).toBe(2);
		memo.set('c', 3);
		endFrame();
		expect(memo.current.size).toBe(0);
		expect(memo.get('a')).toBe(1);
		endFrame();
		endFrame();
		// 'a' was used in this generation, 'b' and 'c' were not: with the next rotation they go.
		memo.set('d', 4);
		memo.set('e', 5);
		endFrame();
		expect(memo.get('a')).toBe(1);
		expect(memo.get('b')).toBeUndefined();
		expect(memo.get('c')).toBeUndefined();
	});
});

// --- Whole Ink renders ----------------------------------------------------------------------------

class FakeStdout extends EventEmitter {
	isTTY = true;
	rows = 30;
	writes: string[] = [];
	constructor(readonly columns: number) {
		super();
	}

	write(data: string): boolean {
		this.writes.push(data);
		return true;
	}
}

function fakeStdin(): EventEmitter {
	return Object.assign(new EventEmitter(), {
		isTTY: false,
		setEncoding() {},
		setRawMode() {},
		ref() {},
		unref() {},
		read: () => null,
	});
}

const cells = ['夏のセール 2026', 'orders 😀', '👨‍👩‍👧 family', '🇯🇵 flag', 'e\u0301te\u0301', '全角ＡＢＣ', 'plain row', '❤️ love'];
const raw = [`${esc}[38;5;208mamber${esc}[39m`, `${esc}[1;4mbold${esc}[22;24m`, `${esc}]8;;https://example.com${esc}\\link${esc}]8;;${esc}\\`, `${esc}[48;2;1;2;3mbg${esc}[49m`];

/** One screen of a table-like UI: borders, colours, selection, CJK/emoji, clipping, wrapping. */
function screen(ink: InkModule, step: number, columns: number): React.ReactElement {
	const {Box, Text, Transform, Static} = ink;
	const selected = step % 7;
	// Every third frame repeats an earlier one exactly (the caches' hits); the others move things.
	const phase = step % 3 === 2 ? step - 2 : step;
	const rows = Array.from({length: 9}, (_, index) => {
		const text = `${index === selected ? '>' : ' '} ${cells[(index + phase) % cells.length]!} ${raw[index % raw.length]!} ${'─'.repeat(index)} ${phase}`;
		return (
			<Text key={index} inverse={index === selected} color={index % 2 === 0 ? 'green' : undefined} wrap={(['truncate-end', 'truncate-middle', 'truncate-start', 'wrap'] as const)[index % 4]}>
				{text}
				<Text color="red" bold>
					{' '}
					{index % 3 === 0 ? '夏' : 'x'}
				</Text>
			</Text>
		);
	});
	return (
		<Box flexDirection="column" width={columns}>
			<Static items={step > 2 ? ['static 夏 line', `static ${esc}[35mmagenta${esc}[39m`] : []}>
				{item => <Text key={item}>{item}</Text>}
			</Static>
			<Text bold>
				cl-exports <Text color="cyan">demo</Text> 夏のセール 😀 step {phase}
			</Text>
			<Box borderStyle="round" borderColor="gray" flexDirection="column" width={columns} height={8} overflow="hidden">
				{rows}
			</Box>
			<Box width={Math.max(4, Math.floor(columns / 2))} height={3} overflow="hidden" flexDirection="column" backgroundColor="blue">
				<Box marginLeft={-3} marginTop={phase % 2 === 0 ? -1 : 0} flexDirection="column" flexShrink={0}>
					<Text wrap="truncate-end">{'0123456789'.repeat(8)}</Text>
					<Text>{'夏のセール'.repeat(6)}</Text>
					<Text>{`😀a👍🏽b🇯🇵c${raw[phase % raw.length]!}`.repeat(3)}</Text>
					<Text>{`line ${phase}`}</Text>
				</Box>
			</Box>
			<Box overflowX="hidden" width={Math.max(3, columns - 7)}>
				<Box flexShrink={0} width={columns + 10}>
					<Text>{`${esc}[34m${'wide '.repeat(10)}夏${esc}[39m`}</Text>
				</Box>
			</Box>
			<Transform transform={(line, index) => `${index}:${line.toUpperCase()}`}>
				<Text>
					transformed <Text color="yellow">{phase}</Text>
					{'\n'}second line 夏
				</Text>
			</Transform>
			<Box borderStyle="single" borderTopColor="red" borderLeft={false} paddingX={1}>
				<Text dimColor>footer ↓ next / filter q quit {step % 2 === 0 ? '😀' : '  '}</Text>
			</Box>
		</Box>
	);
}

async function renderFrames(build: string, columns: number, steps: number): Promise<string[]> {
	const ink = await load<InkModule>(build, 'index.js');
	const stdout = new FakeStdout(columns);
	const frames: string[] = [];
	const instance = ink.render(screen(ink, 0, columns), {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: fakeStdin() as unknown as NodeJS.ReadStream,
		stderr: stdout as unknown as NodeJS.WriteStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	frames.push(stdout.writes.at(-1) ?? '');
	for (let step = 1; step < steps; step++) {
		instance.rerender(screen(ink, step, columns));
		frames.push(stdout.writes.at(-1) ?? '');
	}

	instance.unmount();
	instance.cleanup();
	return frames;
}

describe('Ink render', () => {
	for (const columns of [80, 33, 9]) {
		test(`the same ${columns}-column frames, byte for byte, with and without the patch`, async () => {
			const expected = await renderFrames(unpatchedBuild, columns, 30);
			const actual = await renderFrames(patchedBuild, columns, 30);
			expect(actual).toHaveLength(expected.length);
			for (const [index, frame] of expected.entries()) {
				expect(JSON.stringify(actual[index]), `frame ${index}`).toBe(JSON.stringify(frame));
			}

			// The frames exercise what they claim to: colours, wide characters, the clipped boxes.
			const all = expected.join('\n');
			expect(all).toContain(`${esc}[`);
			expect(all).toContain('夏');
			if (columns === 80) {
				expect(all).toContain('😀');
				expect(all).toContain('static 夏 line');
			}
		});
	}
});
