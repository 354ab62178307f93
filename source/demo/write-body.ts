// The body of a create or update: read (at most 1 MB), checked the way JSON:API Resources checks it,
// and its attributes read by type, each refusal the API's own error body.
import type {IncomingMessage} from 'node:http';
import {apiError, HttpError, isJsonApiContentType, jsonApi} from './jsonapi.js';
import {castBoolean} from './ransack-values.js';
import type {LifecycleError} from './store.js';

export function readBody(request: IncomingMessage, limit = 1 << 20): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		request.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) {
				reject(apiError(413, 'PAYLOAD_TOO_LARGE', 'Payload too large', 'The request body is too large.'));
				request.destroy();
				return;
			}

			chunks.push(chunk);
		});
		request.on('end', () => {
			resolve(Buffer.concat(chunks).toString('utf8'));
		});
		request.on('error', reject);
	});
}

/** The `data` of a JSON:API write body, checked the way JSON:API Resources checks it. */
export async function readDocument(request: IncomingMessage, id?: string): Promise<Record<string, unknown>> {
	if (!isJsonApiContentType(request.headers['content-type'])) {
		throw apiError(
			415,
			'UNSUPPORTED_MEDIA_TYPE',
			'Unsupported media type',
			`All requests that create or update must use the '${jsonApi}' Content-Type. This request specified '${request.headers['content-type'] ?? ''}'.`,
		);
	}

	const text = await readBody(request);
	let document: unknown;
	try {
		document = JSON.parse(text) as unknown;
	} catch {
		throw apiError(400, 'BAD_REQUEST', 'Bad request', 'The request body is not valid JSON.');
	}

	const data = typeof document === 'object' && document !== null ? (document as Record<string, unknown>)['data'] : undefined;
	if (typeof data !== 'object' || data === null || Array.isArray(data)) {
		throw apiError(400, 'PARAM_MISSING', 'Missing Parameter', 'The required parameter, data, is missing.');
	}

	const record = data as Record<string, unknown>;
	if (record['type'] !== 'exports') {
		throw apiError(400, 'INVALID_RESOURCE', 'Invalid resource', `${String(record['type'] ?? '')} is not a valid resource.`);
	}

	if (id !== undefined) {
		if (record['id'] === undefined) {
			throw apiError(400, 'PARAM_MISSING', 'Missing Parameter', 'The required parameter, id, is missing.');
		}

		if (String(record['id']) !== id) {
			throw apiError(400, 'KEY_NOT_INCLUDED_IN_URL', 'Key is not included in URL', `The URL does not support the key ${String(record['id'])}`);
		}
	}

	const attributes = record['attributes'] ?? {};
	if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
		throw apiError(400, 'INVALID_DATA_FORMAT', 'Invalid data format', 'Data is not a valid format.');
	}

	return attributes as Record<string, unknown>;
}

export function validationError(attribute: string, title: string, error: string, meta: Record<string, unknown> = {}) {
	return apiError(422, 'VALIDATION_ERROR', title, `${attribute} - ${title}`, {source: {pointer: `/data/attributes/${attribute}`}, meta: {error, ...meta}});
}

export function transitionError(error: LifecycleError) {
	const title = `cannot transition via "${error.event}" from "${error.from}"`;
	return new HttpError(422, [
		{
			title,
			detail: `status - ${title}`,
			code: 'VALIDATION_ERROR',
			source: {pointer: '/data/attributes/status'},
			status: '422',
			meta: {error: 'invalid_transition', event: error.event, from: error.from},
		},
	]);
}

export function asTrigger(attributes: Record<string, unknown>, name: '_start' | '_interrupt'): boolean | undefined {
	const value = attributes[name];
	if (value === undefined) {
		return undefined;
	}

	if (typeof value === 'boolean') {
		return value;
	}

	const cast = typeof value === 'string' || typeof value === 'number' ? castBoolean(String(value)) : undefined;
	if (cast === undefined) {
		throw validationError(name, 'is not a boolean', 'invalid');
	}

	return cast;
}

export function optionalString(attributes: Record<string, unknown>, name: string): string | null | undefined {
	const value = attributes[name];
	if (value === undefined || value === null || typeof value === 'string') {
		return value as string | null | undefined;
	}

	throw validationError(name, 'is not a string', 'invalid');
}

export function optionalObject(attributes: Record<string, unknown>, name: string): Record<string, unknown> | null | undefined {
	const value = attributes[name];
	if (value === undefined || value === null) {
		return value as null | undefined;
	}

	if (typeof value === 'object' && !Array.isArray(value)) {
		return value as Record<string, unknown>;
	}

	throw validationError(name, 'is not an object', 'invalid');
}

export function rejectUnknown(attributes: Record<string, unknown>, allowed: readonly string[]) {
	for (const key of Object.keys(attributes)) {
		if (!allowed.includes(key)) {
			throw apiError(400, 'PARAM_NOT_ALLOWED', 'Param not allowed', `${key} is not allowed.`);
		}
	}
}
