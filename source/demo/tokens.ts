// The demo's OAuth side (docs/commerce-layer-api.md, Authentication): the client_credentials grant with the auth API's
// own error bodies (numeric `status`), and random JWT-shaped bearer tokens that expire by the
// server's clock.
import {randomBytes} from 'node:crypto';

/** The demo integration's credentials: fixed, so the printed example keeps working across restarts. */
export const demoClientId = 'demo_0fXzQe7kPv3LmN8sRt2wYb5cHj9uGa4dK1i6oEyTqWc';
export const demoClientSecret = 'demo_secret_Vq8mB3nZr6tY1xK4pL7sW2eJ9cH5gF0aD3uN8iQ';
export const demoOrganization = 'demo-store';

function base64url(value: string | Buffer): string {
	return Buffer.from(value).toString('base64url');
}

export class TokenStore {
	private readonly tokens = new Map<string, number>();

	constructor(private readonly options: {now: () => number; organizationId: string}) {}

	/** A token shaped like Commerce Layer's (a JWT with exp and the organization), but random and unsigned. */
	issue(ttlSeconds: number, scope: string): string {
		const now = this.options.now();
		const issuedAt = Math.floor(now / 1000);
		const header = base64url(JSON.stringify({alg: 'RS512', typ: 'JWT', kid: 'demo'}));
		const payload = base64url(
			JSON.stringify({
				organization: {id: this.options.organizationId, slug: demoOrganization},
				application: {kind: 'integration'},
				scope,
				test: true,
				exp: issuedAt + ttlSeconds,
				iat: issuedAt,
				rand: randomBytes(6).toString('hex'),
			}),
		);
		const token = `${header}.${payload}.${base64url(randomBytes(32))}`;
		for (const [known, expiresAt] of this.tokens) {
			if (expiresAt <= now) {
				this.tokens.delete(known);
			}
		}

		this.tokens.set(token, now + ttlSeconds * 1000);
		return token;
	}

	/** Whether an Authorization header carries a token this server issued that has not expired. */
	accepts(authorization: string | undefined): boolean {
		const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
		const expiresAt = match ? this.tokens.get(match[1] ?? '') : undefined;
		return expiresAt !== undefined && this.options.now() < expiresAt;
	}
}

/** The token endpoint's fields from a JSON or form body, plus HTTP Basic client authentication. */
export function grantFields(body: string, contentType: string, authorization: string | undefined): Record<string, unknown> {
	let fields: Record<string, unknown>;
	const asForm = () => Object.fromEntries(new URLSearchParams(body));
	if (contentType.toLowerCase().includes('x-www-form-urlencoded')) {
		fields = asForm();
	} else {
		try {
			const parsed = JSON.parse(body) as unknown;
			fields = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
		} catch {
			fields = contentType.toLowerCase().includes('json') ? {} : asForm();
		}
	}

	// RFC 6749 client_secret_basic is accepted too.
	const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
	if (basic) {
		const [id = '', secret = ''] = Buffer.from(basic[1] ?? '', 'base64').toString('utf8').split(':');
		fields['client_id'] ??= decodeURIComponent(id);
		fields['client_secret'] ??= decodeURIComponent(secret);
	}

	return fields;
}

/** `POST /oauth/token`: a token for the demo credentials, or the auth API's error. */
export function grant(fields: Record<string, unknown>, tokens: TokenStore, ttlSeconds: number, now: number): {status: number; body: unknown} {
	if (fields['grant_type'] !== 'client_credentials') {
		return {
			status: 400,
			body: {
				errors: [
					{
						code: 'BAD_REQUEST',
						title: 'unsupported_grant_type',
						status: 400,
						detail: 'The authorization grant type is not supported by the authorization server.',
					},
				],
			},
		};
	}

	if (fields['client_id'] !== demoClientId || fields['client_secret'] !== demoClientSecret) {
		return {
			status: 401,
			body: {
				errors: [
					{
						code: 'UNAUTHORIZED',
						title: 'invalid_client',
						status: 401,
						detail: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
					},
				],
			},
		};
	}

	const scope = typeof fields['scope'] === 'string' && fields['scope'] !== '' ? fields['scope'] : 'market:all';
	const token = tokens.issue(ttlSeconds, scope);
	return {status: 200, body: {access_token: token, token_type: 'bearer', expires_in: ttlSeconds, scope, created_at: Math.floor(now / 1000)}};
}
