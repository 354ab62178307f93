// The resolved connection -> a client for the exports API. In demo mode the embedded demo server
// is started on a loopback port and spoken to over HTTP with the client_credentials flow, exactly
// like a real organization (never by function call), so the demo exercises the same code paths.
import {clientCredentials, staticToken, type TokenSource} from '../api/auth.js';
import {createClient, type ClientOptions, type ExportsClient} from '../api/client.js';
import type {Connection, RemoteAuth} from './resolve.js';

export type Connected = {
	client: ExportsClient;
	/** The header's label: "127.0.0.1:PORT" (the header adds its DEMO badge), "acme.commercelayer.io", "cl app acme-int". */
	source: string;
	demo: boolean;
	/** Values that must never be printed (tokens, client secrets). */
	secrets: string[];
	close(): Promise<void>;
};

export type ConnectOptions = {
	/** Extra client options (tests: onRequest, retries, sleep). */
	client?: Partial<Omit<ClientOptions, 'baseUrl' | 'auth'>>;
};

function tokenSource(auth: RemoteAuth, hint?: string): TokenSource {
	if (auth.type === 'token') {
		return staticToken(auth.token, hint ? {hint} : {});
	}

	return clientCredentials({
		authUrl: auth.authUrl,
		clientId: auth.clientId,
		clientSecret: auth.clientSecret,
		...(auth.scope ? {scope: auth.scope} : {}),
	});
}

/** The configuration's connection, made: a client (and, in demo mode, the demo server it talks to). */
export async function connect(config: {connection: Connection}, options: ConnectOptions = {}): Promise<Connected> {
	const {connection} = config;
	if (connection.kind === 'remote') {
		const auth = tokenSource(connection.auth, connection.tokenHint);
		const client = createClient({...options.client, baseUrl: connection.baseUrl, auth});
		return {
			client,
			source: connection.label,
			demo: false,
			get secrets() {
				return auth.secrets;
			},
			async close() {},
		};
	}

	// Loaded only in demo mode, so a real session never parses the demo's code.
	const {startDemoServer} = await import('../demo/server.js');
	const server = await startDemoServer();
	const auth = clientCredentials({
		authUrl: `${server.url}/oauth/token`,
		clientId: server.clientId,
		clientSecret: server.clientSecret,
	});
	const client = createClient({...options.client, baseUrl: server.url, auth});
	return {
		client,
		source: new URL(server.url).host,
		demo: true,
		get secrets() {
			return [server.token, server.clientSecret, ...auth.secrets];
		},
		async close() {
			await server.close();
		},
	};
}
