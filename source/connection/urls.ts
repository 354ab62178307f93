// The URLs a connection is made of: the API origin (from --base-url, an organization slug or a
// token's claims) and the token endpoint. Plain http is accepted for loopback hosts only (the demo
// and test servers); a bad value is a ConfigError naming the flag or variable it came from.
import {fail, shown} from '../config-error.js';

export function isLoopback(hostname: string): boolean {
	const host = hostname.toLowerCase();
	return (
		host === 'localhost' ||
		host.endsWith('.localhost') ||
		/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
		host === '[::1]' ||
		/^\[::ffff:7f[\da-f]{2}:[\da-f]{1,4}\]$/.test(host)
	);
}

function parseHttpUrl(value: string, name: string, allowPath: boolean): URL {
	let url: URL;
	try {
		url = new URL(value.trim());
	} catch {
		// The value may be anything a user pasted: only echo what looks like a host name.
		const echo = /^[\w.:/[\]-]{1,60}$/.test(value) && !value.includes('eyJ') ? ` ${shown(value)}` : '';
		return fail(`${name} is not a valid URL${echo}: expected e.g. https://acme.commercelayer.io`);
	}

	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		fail(`${name} must be an https:// URL (got ${url.protocol}//)`);
	}

	if (url.username || url.password) {
		fail(`${name} must not contain a user name or password`);
	}

	if (url.search || url.hash) {
		fail(`${name} must not have a query or fragment`);
	}

	if (!allowPath && url.pathname !== '/' && url.pathname !== '') {
		fail(`${name} must be an origin without a path, e.g. https://acme.commercelayer.io (got path ${shown(url.pathname)})`);
	}

	if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
		fail(`${name}: http:// is only allowed for loopback hosts (127.0.0.1, ::1, localhost); use https://`);
	}

	return url;
}

/** `https://acme.commercelayer.io` from a --base-url value. */
export function parseBaseUrl(value: string, name = '--base-url'): string {
	return parseHttpUrl(value, name, false).origin;
}

const slugPattern = /^[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?$/;

/** `https://acme.commercelayer.io` from an organization slug. */
export function organizationUrl(slug: string, name = '--organization', domain = 'commercelayer.io'): string {
	const normal = slug.trim().toLowerCase();
	if (!slugPattern.test(normal)) {
		fail(`${name} must be an organization slug (lowercase letters, digits and dashes), got ${shown(slug)}`);
	}

	return `https://${normal}.${domain}`;
}

/** The token endpoint: auth.commercelayer.io (or .co) for Commerce Layer hosts, else <base>/oauth/token. */
export function defaultAuthUrl(baseUrl: string, domain?: string): string {
	const host = new URL(baseUrl).hostname;
	if (host === 'commercelayer.io' || host.endsWith('.commercelayer.io')) {
		return 'https://auth.commercelayer.io/oauth/token';
	}

	if (host === 'commercelayer.co' || host.endsWith('.commercelayer.co')) {
		return 'https://auth.commercelayer.co/oauth/token';
	}

	if (domain) {
		return `https://auth.${domain}/oauth/token`;
	}

	return `${baseUrl}/oauth/token`;
}

/** A --auth-url / CL_AUTH_URL value: an http(s) URL that may have a path. */
export function parseAuthUrl(value: string, name: string): string {
	const url = parseHttpUrl(value, name, true);
	return url.pathname === '/' ? url.origin : `${url.origin}${url.pathname}`;
}

/** How the header names a base URL: its host (and port). */
export function hostLabel(baseUrl: string): string {
	return new URL(baseUrl).host;
}

/** Organization slug and domain from a Commerce Layer JWT (`organization.slug`, `iss` https://auth.<domain>). */
export function organizationFromToken(token: string): {slug: string; domain?: string} | undefined {
	const payload = token.split('.')[1];
	if (!payload) {
		return undefined;
	}

	try {
		const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
		if (typeof claims !== 'object' || claims === null) {
			return undefined;
		}

		const {organization, iss} = claims as {organization?: {slug?: unknown}; iss?: unknown};
		const slug = typeof organization?.slug === 'string' ? organization.slug.toLowerCase() : undefined;
		if (!slug || !slugPattern.test(slug)) {
			return undefined;
		}

		const issuer = typeof iss === 'string' ? /^https:\/\/auth\.([a-z\d.-]+)\/?$/.exec(iss)?.[1] : undefined;
		return {slug, domain: issuer};
	} catch {
		return undefined;
	}
}
