// "Did you mean": the candidate nearest a mistyped word by edit distance (Levenshtein), for
// unknown fields, statuses, flags and sort fields.

function levenshtein(a: string, b: string): number {
	let previous = Array.from({length: b.length + 1}, (_, index) => index);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
		}

		previous = current;
	}

	return previous[b.length]!;
}

/** The candidate closest to `word`, when it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
	let best: string | undefined;
	let bestDistance = Number.POSITIVE_INFINITY;
	for (const candidate of candidates) {
		const distance = levenshtein(word, candidate);
		if (distance < bestDistance) {
			best = candidate;
			bestDistance = distance;
		}
	}

	const limit = word.length <= 3 ? 1 : word.length <= 6 ? 2 : 3;
	if (best !== undefined && bestDistance <= limit) {
		return best;
	}

	return candidates.find(candidate => candidate.startsWith(word) && word.length >= 3);
}
