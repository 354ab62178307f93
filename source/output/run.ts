// Non-interactive mode: the current page, or with --all every page in order, written as each page
// arrives (NDJSON with --json, else the plain table). Pacing is the client's rate limiter's job.
// A reader that goes away (`| head`) ends the walk quietly with exit code 0.
import type {Writable} from 'node:stream';
import type {ExportsClient} from '../api/client.js';
import {describeError, isAbortError, redact} from '../api/errors.js';
import {formatSort} from '../api/sort.js';
import type {ExportPage, ListRequest} from '../api/types.js';
import type {Config} from '../config.js';
import {ndjsonLines} from './ndjson.js';
import {plainTable, type PlainTable} from './plain.js';

export type OutputOptions = {
	config: Config;
	client: ExportsClient;
	stdout: Writable & {isTTY?: boolean};
	stderr: Writable & {isTTY?: boolean};
	format: 'json' | 'plain';
	/** Redacted from every message. */
	secrets?: readonly string[];
	signal?: AbortSignal;
};

/** The output stream, with backpressure and a quiet end when the reader has gone. */
class Sink {
	closed = false;
	/** A write error other than the reader going away. */
	failure?: Error;
	private readonly controller: AbortController;

	constructor(
		private readonly stream: Writable,
		controller: AbortController,
	) {
		this.controller = controller;
		stream.on('error', (error: NodeJS.ErrnoException) => {
			// EPIPE (or a destroyed stream): nobody reads any more. Stop fetching, exit 0.
			this.closed = true;
			if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') {
				this.failure = error;
			}

			this.controller.abort();
		});
	}

	async write(chunk: string): Promise<void> {
		if (this.closed || chunk === '') {
			return;
		}

		if (this.stream.write(chunk)) {
			return;
		}

		await new Promise<void>(resolve => {
			const done = () => {
				this.stream.off('drain', done);
				this.stream.off('error', done);
				this.stream.off('close', done);
				resolve();
			};

			this.stream.on('drain', done);
			this.stream.on('error', done);
			this.stream.on('close', done);
		});
	}
}

/** Runs the non-interactive output; resolves to the exit code. */
export async function runOutput(options: OutputOptions): Promise<number> {
	const {config, client, format} = options;
	const controller = new AbortController();
	const onAbort = () => controller.abort();
	options.signal?.addEventListener('abort', onAbort, {once: true});
	const out = new Sink(options.stdout, controller);
	const secrets = options.secrets ?? [];
	const notify = (line: string) => {
		options.stderr.write(`cl-exports: ${redact(line, secrets)}\n`);
	};

	const query = (page: number): ListRequest => ({
		page,
		size: config.pageSize,
		sort: [formatSort(config.sort)],
		filters: config.filters,
	});

	let table: PlainTable | undefined;
	const seen = new Set<string>();
	/** Writes the exports not printed yet; returns how many that was. */
	const write = async (result: ExportPage): Promise<number> => {
		// Pages can shift while they are walked (a new export moves everything down one row);
		// an export already printed is not printed again.
		const fresh = result.data.filter(record => !seen.has(record.id));
		for (const record of fresh) {
			seen.add(record.id);
		}

		if (format === 'json') {
			await out.write(ndjsonLines(fresh));
			return fresh.length;
		}

		if (!table) {
			table = plainTable(fresh);
			await out.write(table.header());
		}

		await out.write(table.rows(fresh));
		return fresh.length;
	};

	try {
		let page = 1;
		for (;;) {
			const result = await client.listExports(query(page), controller.signal, {
				signal: controller.signal,
				// Progress on a terminal only: a script reading stderr gets the final error alone.
				onRetry: options.stderr.isTTY ? notice => notify(notice.message) : undefined,
			});
			if (out.closed) {
				break;
			}

			const written = await write(result);
			if (out.closed) {
				break;
			}

			// A page of nothing new past the announced end means a server that never stops linking.
			const more = result.data.length > 0 && (Boolean(result.links.next) || page < result.meta.page_count) && (written > 0 || page < result.meta.page_count);
			if (!config.all) {
				if (format === 'plain' && more && options.stderr.isTTY) {
					notify(`page 1 of ${result.meta.page_count} (${result.meta.record_count} exports); --all prints every page`);
				}

				break;
			}

			if (!more) {
				break;
			}

			page++;
		}

		if (out.failure) {
			notify(`cannot write the output: ${describeError(out.failure)}`);
			return 1;
		}

		return 0;
	} catch (error) {
		if (out.closed && !out.failure) {
			return 0;
		}

		if (isAbortError(error) && options.signal?.aborted) {
			return 130;
		}

		notify(describeError(error));
		return 1;
	} finally {
		options.signal?.removeEventListener('abort', onAbort);
	}
}
