// Seeded randomness for the demo data and its faults: nothing in the demo reads Math.random, so
// the same seed gives the same data.

export type Random = {
	/** Uniform in [0, 1). */
	next(): number;
	/** Integer in [min, max], both included. */
	int(min: number, max: number): number;
	pick<T>(items: readonly T[]): T;
	chance(probability: number): boolean;
	/** A Commerce Layer style id: 10 letters, mixed case (e.g. `XAyRWNUzyN`). */
	id(): string;
	hex(length: number): string;
};

const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** mulberry32: small, fast, and good enough for demo data. */
export function createRandom(seed: number): Random {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d_2b_79_f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};

	const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
	return {
		next,
		int,
		pick<T>(items: readonly T[]): T {
			return items[int(0, items.length - 1)] as T;
		},
		chance: probability => next() < probability,
		id() {
			let id = '';
			for (let index = 0; index < 10; index++) {
				id += letters[int(0, letters.length - 1)];
			}

			return id;
		},
		hex(length) {
			let text = '';
			for (let index = 0; index < length; index++) {
				text += int(0, 15).toString(16);
			}

			return text;
		},
	};
}

/** FNV-1a over the parts, for seeding a Random from (seed, id) pairs. */
export function hashSeed(...parts: Array<string | number>): number {
	let hash = 0x81_1c_9d_c5;
	for (const char of parts.join('\u0000')) {
		hash ^= char.codePointAt(0) ?? 0;
		hash = Math.imul(hash, 0x01_00_01_93) >>> 0;
	}

	return hash >>> 0;
}
