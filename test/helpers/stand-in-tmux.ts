// A stand-in `tmux` on PATH: it records each call's arguments and what it read on stdin, answers
// `show-options … set-clipboard` with $STAND_IN_SET_CLIPBOARD (default external), and fails with
// a message when $STAND_IN_FAIL is set (as a tmux older than 3.2 does for `load-buffer -w`).
import {chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const script = `#!/bin/sh
dir=$(dirname "$0")
n=$(ls "$dir" | grep -c '[.]args$')
printf '%s\\n' "$@" > "$dir/call-$n.args"
cat > "$dir/call-$n.stdin"
if [ -n "$STAND_IN_FAIL" ]; then echo "$STAND_IN_FAIL" >&2; exit 1; fi
if [ "$1" = show-options ]; then echo "\${STAND_IN_SET_CLIPBOARD:-external}"; fi
exit 0
`;

export type TmuxCall = {args: string[]; stdin: string};

export type StandInTmux = {
	/** A directory to put first on PATH. */
	dir: string;
	/** The calls so far, in order. */
	calls(): TmuxCall[];
	remove(): void;
};

export function standInTmux(): StandInTmux {
	const dir = mkdtempSync(join(tmpdir(), 'cl-exports-tmux-'));
	writeFileSync(join(dir, 'tmux'), script);
	chmodSync(join(dir, 'tmux'), 0o755);
	return {
		dir,
		calls() {
			const calls: TmuxCall[] = [];
			for (let n = 0; existsSync(join(dir, `call-${n}.args`)); n++) {
				calls.push({
					args: readFileSync(join(dir, `call-${n}.args`), 'utf8').split('\n').slice(0, -1),
					stdin: readFileSync(join(dir, `call-${n}.stdin`), 'utf8'),
				});
			}

			return calls;
		},
		remove() {
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

/** A directory with no tmux in it: PATH for "tmux is not installed here". */
export function noTmuxDir(): string {
	return mkdtempSync(join(tmpdir(), 'cl-exports-no-tmux-'));
}
