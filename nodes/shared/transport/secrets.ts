/**
 * Keeps the credential's secrets out of everything the user or a log sees: the token, and a
 * user:password in the Base URL (allowed for proxies, never printed). RunComfy or a proxy may
 * echo them back, so answers are cleaned too.
 */

const REDACTED = '[redacted]';

/** `user:password@` in any URL inside a text. */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;

export class Secrets {
	private readonly values: string[];

	constructor(values: Array<string | undefined>) {
		const all = new Set<string>();
		for (const value of values) {
			if (!value) continue;
			all.add(value);
			all.add(encodeURIComponent(value));
			const decoded = safeDecode(value);
			if (decoded) all.add(decoded);
		}
		// Longest first, so a secret that contains another is hidden whole.
		this.values = [...all].filter((value) => value.length >= 4).sort((a, b) => b.length - a.length);
	}

	redact(text: string): string {
		let clean = text.replace(USERINFO, '$1');
		for (const value of this.values) clean = clean.split(value).join(REDACTED);
		return clean;
	}

	/** The same value with every string inside it redacted. */
	redactDeep<T>(value: T): T {
		if (typeof value === 'string') return this.redact(value) as T;
		if (Array.isArray(value)) return value.map((entry) => this.redactDeep(entry) as unknown) as T;
		if (value && typeof value === 'object') {
			const copy: Record<string, unknown> = {};
			for (const [key, entry] of Object.entries(value)) copy[key] = this.redactDeep(entry);
			return copy as T;
		}
		return value;
	}
}

function safeDecode(value: string): string | undefined {
	try {
		return decodeURIComponent(value);
	} catch {
		return undefined;
	}
}

/** A URL as it may be printed: no user:password, no query, no fragment. */
export function printableUrl(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.protocol}//${parsed.host}${parsed.pathname}`.replace(/\/+$/, '');
	} catch {
		return url.replace(USERINFO, '$1').replace(/[?#].*$/, '');
	}
}
