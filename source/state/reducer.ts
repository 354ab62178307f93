// The pager's one pure reducer. Every key press and every answer from the API is an action named
// by intent (types.ts); the reducer always sees the latest state, so no key is lost however fast
// they come. It never reads the clock (times come in actions) and never does I/O: the effects
// hooks (hooks/) watch the state and send the requests.
//
// One handler per action type, in one table typed so that none can be missing; the handlers live
// with their concept: the continuous list (paging.ts, page-answers.ts), the filter (filter.ts),
// the detail, help and Esc (modes.ts), watch mode (watch.ts), the status counts (overview.ts),
// copy, download and the operations (jobs.ts), marks and bulk actions (marks.ts, bulk.ts), the
// peek overlay (peek.ts), duplicates (duplicate.ts), and keys (keys.ts: the key map).
import {bulkHandlers} from './bulk.js';
import {duplicateHandlers} from './duplicate.js';
import {filterHandlers} from './filter.js';
import {jobHandlers} from './jobs.js';
import {pressKey} from './keys.js';
import {followCache, markHandlers} from './marks.js';
import {modeHandlers} from './modes.js';
import {followFilter, overviewHandlers} from './overview.js';
import {pageAnswerHandlers} from './page-answers.js';
import {pagingHandlers} from './paging.js';
import {peekHandlers} from './peek.js';
import type {Action, Handlers, State} from './types.js';
import {watchHandlers} from './watch.js';

const handlers: Handlers = {
	// A key means the action the key map binds it to in the mode the state is in now.
	keyPressed: (state, action) => pressKey(state, action, reduce),
	...pagingHandlers,
	...pageAnswerHandlers,
	...filterHandlers,
	...modeHandlers,
	...watchHandlers,
	...overviewHandlers,
	...jobHandlers,
	...markHandlers,
	...bulkHandlers,
	...peekHandlers,
	...duplicateHandlers,
};

export function reducer(state: State, action: Action): State {
	return followFilter(followCache(reduce(state, action), state));
}

function reduce(state: State, action: Action): State {
	// TypeScript cannot relate handlers[action.type] to this action's type; the table's type does.
	const handle = handlers[action.type] as (state: State, action: Action) => State;
	return handle(state, action);
}
