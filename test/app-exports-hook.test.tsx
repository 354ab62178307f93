// use-exports on its own, over the real demo API, with a clock the test moves: which requests the
// hook sends for which queries.
import React, {useReducer, type Dispatch} from 'react';
import {Text} from 'ink';
import {render} from 'ink-testing-library';
import {afterEach, expect, test} from 'vitest';
import {staticToken} from '../source/api/auth.js';
import {createClient} from '../source/api/client.js';
import {startDemoServer, type DemoServer} from '../source/demo/server.js';
import {initialState} from '../source/state/initial.js';
import {reducer} from '../source/state/reducer.js';
import {isLoading, refreshedAt} from '../source/state/selectors.js';
import type {Action, State} from '../source/state/types.js';
import {pageOf} from '../source/state/list.js';
import {useExports} from '../source/hooks/use-exports.js';
import {waitFor} from './helpers/wait-for-frame.js';

let server: DemoServer | undefined;
let unmount: (() => void) | undefined;

afterEach(async () => {
	unmount?.();
	await server?.close();
	server = undefined;
});

async function mount(options: {prefetch?: boolean; staleMs?: number} = {}) {
	server = await startDemoServer({rateLimit: false});
	const client = createClient({baseUrl: server.url, auth: staticToken(server.token), rateLimit: false});
	const clock = {now: 0};
	const live: {state?: State; dispatch?: Dispatch<Action>} = {};
	function Probe() {
		// Ten rows of ten: a screenful is a page.
		const [state, dispatch] = useReducer(reducer, undefined, () => initialState({pageSize: 10, sort: [], viewport: 10}));
		useExports({client, state, dispatch, prefetch: options.prefetch ?? false, staleMs: options.staleMs, now: () => clock.now});
		live.state = state;
		live.dispatch = dispatch;
		return <Text>{`at ${state.selection.index} ${isLoading(state) ? 'loading' : 'idle'}`}</Text>;
	}

	const app = render(<Probe />);
	unmount = app.unmount;
	const pages = () => server!.requests.filter(request => request.path === '/api/exports').map(request => request.query['page[number]']);
	const shown = async (page: number) => {
		await waitFor(
			() => live.state !== undefined && live.state.total !== undefined && pageOf(live.state.selection.index, 10) === page && !isLoading(live.state),
			{message: `page ${page} on screen`},
		);
		// The effects that look at the page on screen (is it stale?) run after the frame: let them.
		await new Promise(resolve => {
			setTimeout(resolve, 20);
		});
	};

	return {clock, live, pages, shown, dispatch: (action: Action) => live.dispatch!(action)};
}

test('a cached page is served at once; once it is older than staleMs it is fetched again behind the screen', async () => {
	const h = await mount({staleMs: 60_000});
	await h.shown(1);
	h.dispatch({type: 'nextPage'});
	await h.shown(2);
	expect(h.pages()).toEqual(['1', '2']);
	h.clock.now = 30_000;
	h.dispatch({type: 'previousPage'});
	await h.shown(1);
	h.dispatch({type: 'nextPage'});
	await h.shown(2);
	// Young enough: no request.
	expect(h.pages()).toEqual(['1', '2']);
	h.clock.now = 61_000;
	h.dispatch({type: 'previousPage'});
	await waitFor(() => h.pages().length === 3, {message: 'the refresh of page 1'});
	await h.shown(1);
	// Behind the rows on screen: no "loading" meanwhile, the refresh time moves when the answer lands.
	await waitFor(() => h.live.state !== undefined && refreshedAt(h.live.state) === 61_000, {message: 'the refreshed page'});
	expect(h.pages()).toEqual(['1', '2', '1']);
});

test('prefetch: the page a screenful ahead is asked for once the screen has its rows, never past the last page', async () => {
	const h = await mount({prefetch: true});
	await h.shown(1);
	await waitFor(() => h.pages().includes('2'), {message: 'the prefetch of page 2'});
	h.dispatch({type: 'lastPage'});
	await h.shown(30);
	await waitFor(() => h.pages().includes('30'));
	// On the last page there is no next one to prefetch; the request log stays as it is.
	const count = h.pages().length;
	h.dispatch({type: 'reload'});
	await waitFor(() => h.pages().length === count + 1, {message: 'the reload'});
	await h.shown(30);
	expect(h.pages().filter(page => page === '31')).toEqual([]);
});
