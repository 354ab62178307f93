import {describe, expect, test} from 'vitest';
import {maxFilterDepth, maxFilterLength} from '../source/filter/limits.js';
import {parseFilter, type FilterParseResult} from '../source/filter/parse.js';
import {keptFilterText, toggleStatus} from '../source/filter/status-terms.js';
import {filterSyntax, filterSyntaxLines} from '../source/filter/syntax.js';
import {exportFields, splitPredicateKey, supportsPredicate, type FilterableField} from '../source/api/fields.js';
import {filterQueryBytes, maxFilterQueryBytes} from '../source/api/query-string.js';
import type {Filters} from '../source/api/types.js';

// A fixed clock: every relative date below is computed from it, never from the real time.
const now = new Date('2026-11-15T12:34:56.000Z');
const search = 'id_or_reference_or_reference_origin_or_resource_type';

function filters(text: string): Filters {
	const result = parseFilter(text, {now});
	if (!result.ok) {
		throw new Error(`expected ${JSON.stringify(text)} to parse, got: ${result.error}`);
	}

	return result.filters;
}

function failure(text: string): Extract<FilterParseResult, {ok: false}> & {marked: string} {
	const result = parseFilter(text, {now});
	if (result.ok) {
		throw new Error(`expected ${JSON.stringify(text)} to fail, got ${JSON.stringify(result.filters)}`);
	}

	return {...result, marked: text.slice(result.start, result.end)};
}

/** Local midnight of a calendar day, as the ISO string the parser sends. */
function localMidnight(year: number, month: number, day: number): string {
	return new Date(year, month - 1, day).toISOString();
}

describe('equality and lists', () => {
	test('empty text is no filter', () => {
		expect(filters('')).toEqual({});
		expect(filters('   ')).toEqual({});
	});

	test('field:value -> _eq', () => {
		expect(filters('status:failed')).toEqual({status_eq: 'failed'});
		expect(filters('reference:grp-1')).toEqual({reference_eq: 'grp-1'});
		expect(filters('id:XAyRWNUzyN')).toEqual({id_eq: 'XAyRWNUzyN'});
	});

	test('field:a,b -> _in with an array', () => {
		expect(filters('status:failed,interrupted')).toEqual({status_in: ['failed', 'interrupted']});
		expect(filters('type:skus,orders')).toEqual({resource_type_in: ['skus', 'orders']});
	});

	test('field!:value -> _not_eq, field!:a,b -> _not_in', () => {
		expect(filters('status!:completed')).toEqual({status_not_eq: 'completed'});
		expect(filters('format!:csv')).toEqual({format_not_eq: 'csv'});
		expect(filters('status!:completed,failed')).toEqual({status_not_in: ['completed', 'failed']});
		expect(filters('ref!:a,b')).toEqual({reference_not_in: ['a', 'b']});
	});

	test('numbers become numbers', () => {
		expect(filters('records_count:100')).toEqual({records_count_eq: 100});
		expect(filters('records_count:1,2,3')).toEqual({records_count_in: [1, 2, 3]});
		expect(filters('processed_count!:0')).toEqual({processed_count_not_eq: 0});
		expect(filters('records_count>=1_000')).toEqual({records_count_gteq: 1000});
	});

	test('events_id through the prompt syntax and the raw form', () => {
		expect(filters('events_id:abc')).toEqual({events_id_eq: 'abc'});
		expect(filters('events_id_eq=abc')).toEqual({events_id_eq: 'abc'});
	});
});

describe('text matching', () => {
	test('~ contains, !~ does not contain, ^ starts with, !^ does not start with', () => {
		expect(filters('ref~sale')).toEqual({reference_cont: 'sale'});
		expect(filters('reference_origin!~cli')).toEqual({reference_origin_not_cont: 'cli'});
		expect(filters('ref^grp-')).toEqual({reference_start: 'grp-'});
		expect(filters('type!^sku')).toEqual({resource_type_not_start: 'sku'});
		expect(filters('attachment_url~amazonaws')).toEqual({attachment_url_cont: 'amazonaws'});
	});

	test('lists with ~ and ^ mean any of; negated, none of', () => {
		expect(filters('ref~a,b')).toEqual({reference_cont_any: ['a', 'b']});
		expect(filters('ref!~a,b')).toEqual({reference_not_cont_all: ['a', 'b']});
		expect(filters('ref^a,b')).toEqual({reference_start_any: ['a', 'b']});
		expect(filters('ref!^a,b')).toEqual({reference_not_start_all: ['a', 'b']});
	});

	test('aliases: type -> resource_type, ref -> reference', () => {
		expect(filters('type:skus ref:abc')).toEqual({resource_type_eq: 'skus', reference_eq: 'abc'});
	});

	test('field names are case-insensitive; values keep their case', () => {
		expect(filters('STATUS:failed Ref:AbC Type~SKU')).toEqual({status_eq: 'failed', reference_eq: 'AbC', resource_type_cont: 'SKU'});
	});

	test('status and format values are case-insensitive and sent in lower case', () => {
		expect(filters('status:FAILED,In-Progress format:CSV')).toEqual({status_in: ['failed', 'in_progress'], format_eq: 'csv'});
	});
});

describe('quoting', () => {
	test('double and single quotes group words', () => {
		expect(filters('ref~"summer sale"')).toEqual({reference_cont: 'summer sale'});
		expect(filters("ref~'summer sale'")).toEqual({reference_cont: 'summer sale'});
	});

	test('escapes inside quotes', () => {
		expect(filters(String.raw`ref:"say \"hi\""`)).toEqual({reference_eq: 'say "hi"'});
		expect(filters(String.raw`ref:'it\'s'`)).toEqual({reference_eq: "it's"});
		expect(filters(String.raw`ref:"back\\slash"`)).toEqual({reference_eq: String.raw`back\slash`});
	});

	test('operators and commas inside quotes are text', () => {
		expect(filters('ref:"a,b"')).toEqual({reference_eq: 'a,b'});
		expect(filters('ref:"a:b~c"')).toEqual({reference_eq: 'a:b~c'});
		expect(filters('ref:"a b",c')).toEqual({reference_in: ['a b', 'c']});
	});

	test('quoted null and present are literal strings', () => {
		expect(filters('ref:"null"')).toEqual({reference_eq: 'null'});
		expect(filters("ref:'present'")).toEqual({reference_eq: 'present'});
	});

	test('a quoted bare phrase is one search word', () => {
		expect(filters('"summer sale"')).toEqual({[`${search}_cont`]: 'summer sale'});
		expect(filters('"12:30"')).toEqual({[`${search}_cont`]: '12:30'});
	});
});

describe('null and present', () => {
	test('field:null, field:present and their negations', () => {
		expect(filters('ref:null')).toEqual({reference_null: true});
		expect(filters('ref:present')).toEqual({reference_present: true});
		expect(filters('ref!:null')).toEqual({reference_not_null: true});
		expect(filters('ref!:present')).toEqual({reference_blank: true});
		expect(filters('status:NULL')).toEqual({status_null: true});
	});

	test('for dates, numbers and objects too', () => {
		expect(filters('completed_at:null')).toEqual({completed_at_null: true});
		expect(filters('completed_at:present')).toEqual({completed_at_present: true});
		expect(filters('completed_at!:present')).toEqual({completed_at_blank: true});
		expect(filters('errors_log:present')).toEqual({errors_log_present: true});
		expect(filters('metadata:null')).toEqual({metadata_null: true});
		expect(filters('records_count!:null')).toEqual({records_count_not_null: true});
	});
});

describe('comparisons', () => {
	test('numbers: >, >=, <, <=', () => {
		expect(filters('records_count>100')).toEqual({records_count_gt: 100});
		expect(filters('records_count>=100')).toEqual({records_count_gteq: 100});
		expect(filters('processed_count<5')).toEqual({processed_count_lt: 5});
		expect(filters('processed_count<=5')).toEqual({processed_count_lteq: 5});
		expect(filters('records_count>10 records_count<=20')).toEqual({records_count_gt: 10, records_count_lteq: 20});
	});

	test('full ISO date-times are sent as UTC ISO strings', () => {
		expect(filters('created_at>2026-11-01T10:00:00Z')).toEqual({created_at_gt: '2026-11-01T10:00:00.000Z'});
		expect(filters('created_at>=2026-11-01T10:00:00+02:00')).toEqual({created_at_gteq: '2026-11-01T08:00:00.000Z'});
		expect(filters('updated_at<2026-11-01T10:00:00.5-05:30')).toEqual({updated_at_lt: '2026-11-01T15:30:00.500Z'});
		expect(filters('started_at<=2026-11-01T10:00')).toEqual({started_at_lteq: new Date(2026, 10, 1, 10, 0).toISOString()});
	});

	test('a full date-time with : matches that instant', () => {
		expect(filters('completed_at:2026-11-01T10:00:00Z')).toEqual({completed_at_eq: '2026-11-01T10:00:00.000Z'});
		expect(filters('completed_at!:2026-11-01T10:00:00Z')).toEqual({completed_at_not_eq: '2026-11-01T10:00:00.000Z'});
	});

	test('a day with : means that whole day (local time)', () => {
		expect(filters('created_at:2026-11-01')).toEqual({
			created_at_gteq: localMidnight(2026, 11, 1),
			created_at_lt: localMidnight(2026, 11, 2),
		});
		// Month and year ends roll over.
		expect(filters('created_at:2026-12-31')).toEqual({
			created_at_gteq: localMidnight(2026, 12, 31),
			created_at_lt: localMidnight(2027, 1, 1),
		});
	});

	test('a day with comparisons is about the day as a whole', () => {
		expect(filters('created_at>=2026-11-01')).toEqual({created_at_gteq: localMidnight(2026, 11, 1)});
		expect(filters('created_at>2026-11-01')).toEqual({created_at_gteq: localMidnight(2026, 11, 2)});
		expect(filters('created_at<2026-11-01')).toEqual({created_at_lt: localMidnight(2026, 11, 1)});
		expect(filters('created_at<=2026-11-01')).toEqual({created_at_lt: localMidnight(2026, 11, 2)});
	});

	test('today, yesterday and now come from the injected clock', () => {
		const y = now.getFullYear();
		const m = now.getMonth() + 1;
		const d = now.getDate();
		expect(filters('created_at:today')).toEqual({created_at_gteq: localMidnight(y, m, d), created_at_lt: localMidnight(y, m, d + 1)});
		expect(filters('created_at:yesterday')).toEqual({
			created_at_gteq: localMidnight(y, m, d - 1),
			created_at_lt: localMidnight(y, m, d),
		});
		expect(filters('created_at>=today')).toEqual({created_at_gteq: localMidnight(y, m, d)});
		expect(filters('created_at<now')).toEqual({created_at_lt: '2026-11-15T12:34:56.000Z'});
	});

	test('relative times: -30m, -2h, -3d, -1w (and without the minus)', () => {
		expect(filters('created_at>-30m')).toEqual({created_at_gt: '2026-11-15T12:04:56.000Z'});
		expect(filters('created_at>=-2h')).toEqual({created_at_gteq: '2026-11-15T10:34:56.000Z'});
		expect(filters('updated_at<-3d')).toEqual({updated_at_lt: '2026-11-12T12:34:56.000Z'});
		expect(filters('started_at>=-1w')).toEqual({started_at_gteq: '2026-11-08T12:34:56.000Z'});
		expect(filters('started_at>=2h')).toEqual({started_at_gteq: '2026-11-15T10:34:56.000Z'});
	});

	test('the same text gives the same filters for the same clock (pure)', () => {
		const a = parseFilter('created_at>=-2h status:failed', {now});
		const b = parseFilter('created_at>=-2h status:failed', {now: new Date(now.getTime())});
		expect(a).toEqual(b);
		const later = parseFilter('created_at>=-2h', {now: new Date(now.getTime() + 60_000)});
		expect(later).toEqual({ok: true, filters: {created_at_gteq: '2026-11-15T10:35:56.000Z'}});
	});
});

describe('metadata', () => {
	test('metadata.key:value -> metadata_jcont with a string value', () => {
		expect(filters('metadata.source:cli')).toEqual({metadata_jcont: {source: 'cli'}});
		expect(filters('metadata.k:5')).toEqual({metadata_jcont: {k: '5'}});
		expect(filters('metadata.k:true')).toEqual({metadata_jcont: {k: 'true'}});
	});

	test('several metadata terms merge into one object; dotted keys nest', () => {
		expect(filters('metadata.a:1 metadata.b:x')).toEqual({metadata_jcont: {a: '1', b: 'x'}});
		expect(filters('metadata.a.b:v')).toEqual({metadata_jcont: {a: {b: 'v'}}});
		expect(filters('metadata.a.b:v metadata.a.c:w')).toEqual({metadata_jcont: {a: {b: 'v', c: 'w'}}});
	});

	test('metadata keys keep their case and may be quoted values', () => {
		expect(filters('Metadata.OrderId:"A 1"')).toEqual({metadata_jcont: {OrderId: 'A 1'}});
	});

	test('errors_log keys work the same way', () => {
		expect(filters('errors_log.RuntimeError:"query timeout"')).toEqual({errors_log_jcont: {RuntimeError: 'query timeout'}});
	});
});

describe('free-text search', () => {
	test('a bare word searches reference, reference_origin and resource_type', () => {
		expect(filters('summer')).toEqual({[`${search}_cont`]: 'summer'});
	});

	test('several bare words -> _cont_all, in order', () => {
		expect(filters('summer sale 2026')).toEqual({[`${search}_cont_all`]: ['summer', 'sale', '2026']});
	});

	test('bare words mix with terms', () => {
		expect(filters('status:failed skus')).toEqual({status_eq: 'failed', [`${search}_cont`]: 'skus'});
	});

	test('a repeated bare word counts once', () => {
		expect(filters('sale sale')).toEqual({[`${search}_cont`]: 'sale'});
	});
});

describe('bare words find things', () => {
	test('a bare id is searched in the ids too', () => {
		expect(filters('OjHsqpWwiP')).toEqual({id_or_reference_or_reference_origin_or_resource_type_cont: 'OjHsqpWwiP'});
		expect(filters('OjHsqpWwiP skus')).toEqual({id_or_reference_or_reference_origin_or_resource_type_cont_all: ['OjHsqpWwiP', 'skus']});
	});

	test('a bare status name is the status, in any case and with - for _', () => {
		expect(filters('failed')).toEqual({status_eq: 'failed'});
		expect(filters('FAILED')).toEqual({status_eq: 'failed'});
		expect(filters('in-progress')).toEqual({status_eq: 'in_progress'});
		expect(filters('failed skus')).toEqual({status_eq: 'failed', [`${search}_cont`]: 'skus'});
		expect(filters('failed status:failed')).toEqual({status_eq: 'failed'});
	});

	test('quoted, a status name is a word to search for', () => {
		expect(filters('"failed"')).toEqual({[`${search}_cont`]: 'failed'});
		expect(filters('ref~failed')).toEqual({reference_cont: 'failed'});
	});

	test('two bare statuses are two terms ANDed: the message says how to write either', () => {
		const both = failure('failed pending');
		expect(both.error).toBe('status is given twice: write status:failed,pending for either');
		expect(both.marked).toBe('pending');
	});

	test('the kept text writes a bare status out as its term, and keeps everything else as typed', () => {
		expect(keptFilterText('failed')).toBe('status:failed');
		expect(keptFilterText('  In-Progress  ref~"a b"  sku ')).toBe('  status:in_progress  ref~"a b"  sku ');
		expect(keptFilterText('"failed" ref~failed status:failed summer')).toBe('"failed" ref~failed status:failed summer');
		expect(keptFilterText('ref~"open')).toBe('ref~"open');
		for (const text of ['failed', 'type:skus pending sale', 'completed created_at>-2h']) {
			expect(filters(keptFilterText(text)), text).toEqual(filters(text));
		}
	});

	test('keys 1..5 treat a bare status as the status term', () => {
		expect(toggleStatus('failed', 'failed')).toBe('');
		expect(toggleStatus('failed sku', 'pending')).toBe('status:failed,pending sku');
	});
});

describe('hostile input: prototypes, depth, length', () => {
	test('metadata keys never reach Object.prototype', () => {
		const probe = {} as Record<string, unknown>;
		try {
			const dotted = failure('metadata.a:1 metadata.__proto__.polluted:1');
			expect(dotted.error).toBe('metadata key "__proto__" is not allowed');
			expect(dotted.marked).toBe('__proto__');
			const raw = failure('metadata.a:1 metadata_jcont={"__proto__":{"polluted":1}}');
			expect(raw.error).toBe('metadata_jcont: key "__proto__" is not allowed');
			expect(failure('metadata_jcont={"a":{"constructor":{"prototype":{"polluted":1}}}}').error).toBe('metadata_jcont: key "constructor" is not allowed');
			expect(failure('errors_log.constructor.prototype:1').error).toBe('errors_log key "constructor" is not allowed');
			expect(failure('metadata.x.prototype:1').marked).toBe('prototype');
			expect(probe['polluted']).toBeUndefined();
			expect(Object.prototype).not.toHaveProperty('polluted');
		} finally {
			delete (Object.prototype as Record<string, unknown>)['polluted'];
		}
	});

	test('names of Object.prototype are not fields', () => {
		expect(failure('constructor:1').error).toMatch(/^unknown field "constructor"/);
		expect(failure('toString:1').error).toMatch(/^unknown field "toString"/);
		expect(failure('__proto__:1').error).toMatch(/^unknown field "__proto__"/);
		expect(failure('constructor_eq=1').error).toMatch(/"constructor" is not/);
		expect(failure('hasOwnProperty=1').error).toMatch(/^unknown predicate in "hasOwnProperty"/);
	});

	test('deep nesting is refused with a message, not a stack overflow', () => {
		const deepJson = 'metadata_jcont=' + '{"a":'.repeat(3000) + '1' + '}'.repeat(3000);
		expect(failure(deepJson).error).toBe(`filter too long: ${deepJson.length} characters, at most ${maxFilterLength}`);
		const deepPath = 'metadata.' + 'a.'.repeat(5000) + 'b:1';
		expect(failure(deepPath).error).toBe(`filter too long: ${deepPath.length} characters, at most ${maxFilterLength}`);

		// Within the length, the depth has its own limit.
		const nested = 'metadata_jcont=' + '{"a":'.repeat(maxFilterDepth + 1) + '1' + '}'.repeat(maxFilterDepth + 1);
		expect(failure(nested).error).toBe(`JSON nested too deep: at most ${maxFilterDepth} levels`);
		const quoted = `metadata_jcont='${'{"a":'.repeat(maxFilterDepth + 1)}1${'}'.repeat(maxFilterDepth + 1)}'`;
		expect(failure(quoted).error).toBe(`metadata_jcont: JSON nested too deep: at most ${maxFilterDepth} levels`);
		expect(failure('metadata_jcont={"a":' + '['.repeat(40) + ']'.repeat(40) + '}').error).toMatch(/nested too deep/);
		expect(failure('metadata.' + 'a.'.repeat(maxFilterDepth) + 'b:1').error).toBe(`metadata keys nest at most ${maxFilterDepth} deep`);
		// At the limit, fine.
		expect(filters('metadata.' + 'a.'.repeat(maxFilterDepth - 1) + 'b:1')).toHaveProperty('metadata_jcont');
	});

	test('a filter whose URL would be too long is refused before sending; an ordinary long one is not', () => {
		const wide = 'ref~' + '%'.repeat(1900);
		expect(failure(wide).error).toMatch(new RegExp(`^filter too long to send: \\d+ bytes in the URL, at most ${maxFilterQueryBytes}$`));
		const ids = Array.from({length: 100}, (_, index) => `Id${String(index).padStart(8, '0')}`);
		const many = filters(`id:${ids.join(',')}`);
		expect(many).toEqual({id_in: ids});
		expect(filterQueryBytes(many)).toBeLessThan(maxFilterQueryBytes);
	});

	test('an error quotes typed text on one line, short and without control characters', () => {
		const result = failure(`status:\u001B]52;c;AAAA\u0007${'x'.repeat(500)}`);
		expect(result.error).not.toMatch(/[\u0000-\u001F\u007F-\u009F]/);
		expect(result.error.length).toBeLessThan(150);
	});
});

describe('raw predicates a field does not take are refused before sending', () => {
	test('the message says what the field takes', () => {
		const metadata = failure('metadata_cont=x');
		expect(metadata.error).toBe('metadata takes _jcont _null _present, not _cont');
		expect(metadata.marked).toBe('metadata_cont');
		expect(failure('records_count_cont=1').error).toBe('records_count takes _eq _in _lt _lteq _gt _gteq _null _present, not _cont');
		expect(failure('status_gt=a').error).toBe('status takes _eq _in _null _present, not _gt');
		expect(failure('created_at_start=2026').error).toBe('created_at takes _eq _in _lt _lteq _gt _gteq _null _present, not _start');
		expect(failure('reference_jcont={"a":1}').error).toMatch(/^reference takes _eq _in _cont .*, not _jcont$/);
		expect(failure('reference_or_records_count_cont=1').error).toMatch(/^records_count takes/);
		expect(failure('events_id_cont=x').error).toBe('events_id takes _eq _in _null _present, not _cont');
	});

	test('what the fields take passes', () => {
		expect(filters('id_gt=abc')).toEqual({id_gt: 'abc'});
		expect(filters('records_count_gteq_any=1,2')).toEqual({records_count_gteq_any: ['1', '2']});
		expect(filters('status_not_eq_or_null=failed')).toEqual({status_not_eq_or_null: 'failed'});
		expect(filters('metadata_null=true')).toEqual({metadata_null: true});
		expect(filters('events_id_in=a,b')).toEqual({events_id_in: ['a', 'b']});
		expect(filters('reference_does_not_match_all=a%,b%')).toEqual({reference_does_not_match_all: ['a%', 'b%']});
	});
});

describe('raw predicates', () => {
	test('pass through', () => {
		expect(filters('status_eq=completed')).toEqual({status_eq: 'completed'});
		expect(filters('reference_or_reference_origin_cont=grp')).toEqual({reference_or_reference_origin_cont: 'grp'});
		expect(filters('completed_at_gteq=2026-01-01T00:00:00Z')).toEqual({completed_at_gteq: '2026-01-01T00:00:00Z'});
		expect(filters('STATUS_NOT_EQ_OR_NULL=failed')).toEqual({status_not_eq_or_null: 'failed'});
	});

	test('list predicates split on commas', () => {
		expect(filters('status_in=pending,in_progress')).toEqual({status_in: ['pending', 'in_progress']});
		expect(filters('reference_cont_any=a,"b c"')).toEqual({reference_cont_any: ['a', 'b c']});
	});

	test('boolean predicates take true or false', () => {
		expect(filters('completed_at_null=true')).toEqual({completed_at_null: true});
		expect(filters('reference_present=false')).toEqual({reference_present: false});
		expect(failure('completed_at_null=yes').error).toBe('completed_at_null takes true or false');
	});

	test('_jcont takes a JSON object, spaces included, and merges with metadata terms', () => {
		expect(filters('metadata_jcont={"a":"1"}')).toEqual({metadata_jcont: {a: '1'}});
		expect(filters('metadata_jcont={"a": "b c", "n": {"x": 1}} status:failed')).toEqual({
			metadata_jcont: {a: 'b c', n: {x: 1}},
			status_eq: 'failed',
		});
		expect(filters(`metadata_jcont='{"a":"1"}' metadata.b:2`)).toEqual({metadata_jcont: {a: '1', b: '2'}});
	});

	test('errors: unknown predicate, unfilterable attribute, bad JSON', () => {
		const unknown = failure('status_foo=1');
		expect(unknown.error).toMatch(/^unknown predicate in "status_foo"/);
		expect(unknown.marked).toBe('status_foo');

		const attribute = failure('progress_gt=5');
		expect(attribute.error).toBe('"progress" is not a filterable field of exports');
		expect(attribute.marked).toBe('progress');

		const typo = failure('reference_or_refrence_origin_cont=x');
		expect(typo.error).toBe('"refrence_origin" is not filterable: did you mean reference_origin?');
		expect(typo.marked).toBe('refrence_origin');

		const json = failure('metadata_jcont=[1]');
		expect(json.error).toBe('metadata_jcont needs a JSON object, e.g. metadata_jcont={"key":"value"}');
		expect(json.marked).toBe('[1]');

		const open = failure('metadata_jcont={"a":');
		expect(open.error).toBe('unterminated JSON object: add a closing }');
		expect(open.marked).toBe('{"a":');

		const noPredicate = failure('status=failed');
		expect(noPredicate.error).toBe('"status=" needs a predicate, e.g. status_eq=value (or status:value)');
		expect(noPredicate.marked).toBe('status');
	});
});

describe('several terms', () => {
	test('are ANDed into one object', () => {
		expect(filters('status:failed,interrupted type:skus created_at>=-1w ref~"summer sale" metadata.team:ops')).toEqual({
			status_in: ['failed', 'interrupted'],
			resource_type_eq: 'skus',
			created_at_gteq: '2026-11-08T12:34:56.000Z',
			reference_cont: 'summer sale',
			metadata_jcont: {team: 'ops'},
		});
	});

	test('the same predicate twice with the same value is fine', () => {
		expect(filters('status:failed status:failed')).toEqual({status_eq: 'failed'});
	});

	test('the same predicate twice with different values is an error on the second', () => {
		const twice = failure('status:failed status:completed');
		expect(twice.error).toBe(
			'status is given twice: write status:failed,completed for either',
		);
		expect(twice.marked).toBe('status:completed');

		const dates = failure('created_at:2026-11-01 created_at>=2026-10-01');
		expect(dates.error).toMatch(/^created_at_gteq is given twice with different values/);
		expect(dates.marked).toBe('created_at>=2026-10-01');

		const metadata = failure('metadata.a:1 metadata.a:2');
		expect(metadata.error).toBe('metadata.a is given twice with different values');
		expect(metadata.marked).toBe('metadata.a:2');
	});
});

describe('errors carry a message and the span to underline', () => {
	test('unknown field with a suggestion', () => {
		const result = failure('status:failed stauts:failed');
		expect(result.error).toBe('unknown field "stauts": did you mean status?');
		expect([result.start, result.end]).toEqual([14, 20]);
		expect(failure('create_at>today').error).toBe('unknown field "create_at": did you mean created_at?');
		expect(failure('typ:skus').error).toBe('unknown field "typ": did you mean type?');
	});

	test('unknown field without a close match lists the fields', () => {
		const result = failure('zzz:1');
		expect(result.error).toBe('unknown field "zzz" (fields are e.g. status, type, ref, format, created_at, records_count, metadata.key)');
		expect(result.marked).toBe('zzz');
	});

	test('predicates a field does not support', () => {
		const number = failure('records_count~x');
		expect(number.error).toBe('records_count is a number: use :, !:, >, >=, <, <=');
		expect(number.marked).toBe('~');
		expect(failure('created_at~2026').error).toBe('created_at is a date: use :, !:, >, >=, <, <=');
		expect(failure('ref>abc').error).toBe('reference is text: use :, !:, ~, !~, ^, !^');
		expect(failure('status~fail').error).toBe(
			'status is one of pending, in_progress, interrupted, failed, completed: use : or !:',
		);
		expect(failure('format>csv').error).toBe('format is one of csv, json: use : or !:');
		expect(failure('metadata~x').error).toBe('metadata is an object: use metadata.key:value, metadata:null or metadata:present');
		expect(failure('metadata.k~x').error).toBe('metadata.k matches an exact value: use metadata.k:value');
		expect(failure('events_id~x').error).toBe('events_id is an id: use : or !:');
		expect(failure('status.x:1').error).toBe('status has no keys: "status.x" only works for metadata and errors_log');
		expect(failure('ref>null').error).toBe('null only goes with : or !: (e.g. reference:null)');
	});

	test('bad numbers', () => {
		const result = failure('records_count>lots');
		expect(result.error).toBe('bad number "lots" for records_count: use a whole number, e.g. records_count>100');
		expect(result.marked).toBe('lots');
		expect(failure('records_count:1.5').marked).toBe('1.5');
		expect(failure('records_count:1,x').marked).toBe('x');
		expect(failure('records_count>1,2').error).toBe('records_count> takes one number, not a list');
	});

	test('bad dates', () => {
		const result = failure('created_at>2026-02-30');
		expect(result.error).toBe(
			'bad date "2026-02-30": use YYYY-MM-DD, an ISO date-time, today, yesterday, now, or -30m/-2h/-3d/-1w',
		);
		expect(result.marked).toBe('2026-02-30');
		expect(failure('created_at>soon').marked).toBe('soon');
		expect(failure('created_at>2026-11-01T25:00Z').marked).toBe('2026-11-01T25:00Z');
		expect(failure('created_at>-2y').marked).toBe('-2y');
		expect(failure('created_at:-2h').error).toBe('created_at:-2h matches one instant: use created_at>=-2h for "since"');
		expect(failure('created_at!:2026-11-01').error).toBe(
			'created_at!: does not take a day: use created_at<2026-11-01 or created_at>2026-11-01',
		);
		expect(failure('created_at:2026-11-01,2026-11-02').error).toBe(
			'created_at takes one date, not a list: use > and < for a range',
		);
	});

	test('unknown status and format values list the known ones', () => {
		const status = failure('status:failed,faild');
		expect(status.error).toBe('unknown status "faild" — did you mean failed?');
		expect(status.marked).toBe('faild');
		// The start of one status is taken as a typo of it; of several, the list.
		expect(failure('status:fa').error).toBe('unknown status "fa" — did you mean failed?');
		expect(failure('status:in').error).toBe('unknown status "in" (pending, in_progress, interrupted, failed, completed)');
		expect(failure('status:stuck').error).toBe('unknown status "stuck" (pending, in_progress, interrupted, failed, completed)');
		expect(failure('status:stuckstuckstuckstuck').error).toBe(
			'unknown status "stuckstuckstuck…" (pending, in_progress, interrupted, failed, completed)',
		);
		const format = failure('format:xml');
		expect(format.error).toBe('unknown format "xml" (csv, json)');
		expect(format.marked).toBe('xml');
	});

	test('unterminated quotes', () => {
		const double = failure('ref~"summer sale');
		expect(double.error).toBe('unterminated quote: add a closing "');
		expect([double.start, double.end]).toEqual([4, 16]);
		expect(failure("ref:'x").error).toBe("unterminated quote: add a closing '");
	});

	test('empty values', () => {
		const empty = failure('status:failed ref:');
		expect(empty.error).toBe('empty value after reference:');
		expect(empty.marked).toBe('ref:');
		expect(failure('ref:""').error).toBe('empty value after reference:');
		expect(failure('metadata.k:').error).toBe('empty value after metadata.k:');
		const item = failure('status:failed,');
		expect(item.error).toBe('empty value in the list');
		expect(item.start).toBe(14);
		expect(failure('status_eq=').error).toBe('empty value after status_eq=');
		expect(failure('""').error).toBe('empty quotes: type something between them');
	});

	test('missing field name', () => {
		const result = failure(':failed');
		expect(result.error).toBe('missing field name before :');
		expect(result.marked).toBe(':');
	});

	test('metadata edge cases', () => {
		expect(failure('metadata..a:1').error).toBe('empty key in "metadata..a": write metadata.key:value');
		expect(failure('metadata.k:a,b').error).toBe('metadata.k takes one value: quote a value that has a comma');
		expect(failure('metadata.a:1 metadata.a.b:2').error).toBe('metadata.a is given twice with different values');
	});
});

describe('toggleStatus', () => {
	test('adds a status term when there is none', () => {
		expect(toggleStatus('', 'failed')).toBe('status:failed');
		expect(toggleStatus('ref~x ', 'failed')).toBe('ref~x status:failed');
	});

	test('adds to and removes from an existing term, keeping the rest of the text', () => {
		expect(toggleStatus('ref~"a b" status:failed type:skus', 'pending')).toBe('ref~"a b" status:failed,pending type:skus');
		expect(toggleStatus('ref~"a b" status:failed,pending type:skus', 'failed')).toBe('ref~"a b" status:pending type:skus');
		expect(toggleStatus('Status:FAILED', 'failed')).toBe('');
	});

	test('drops the term when it becomes empty', () => {
		expect(toggleStatus('ref~x status:failed type:skus', 'failed')).toBe('ref~x type:skus');
		expect(toggleStatus('status:failed type:skus', 'failed')).toBe('type:skus');
		expect(toggleStatus('ref~x status:failed', 'failed')).toBe('ref~x');
		expect(toggleStatus('status:failed', 'failed')).toBe('');
	});

	test('leaves status!: terms alone and works on the status: term', () => {
		expect(toggleStatus('status!:completed', 'failed')).toBe('status!:completed status:failed');
	});

	test('keys 1..5 round-trip through the parser', () => {
		let text = 'type:skus';
		for (const status of ['pending', 'in_progress', 'interrupted', 'failed', 'completed'] as const) {
			text = toggleStatus(text, status);
		}

		expect(filters(text)).toEqual({
			resource_type_eq: 'skus',
			status_in: ['pending', 'in_progress', 'interrupted', 'failed', 'completed'],
		});
		text = toggleStatus(toggleStatus(text, 'pending'), 'completed');
		expect(text).toBe('type:skus status:in_progress,interrupted,failed');
	});

	test('text with an open quote is left unchanged', () => {
		expect(toggleStatus('ref~"open', 'failed')).toBe('ref~"open');
	});
});

describe('the syntax description (--help and the ? overlay)', () => {
	test('every example parses, and every predicate the parser builds is one its field takes', () => {
		for (const {example} of filterSyntax) {
			const built = filters(example);
			expect(Object.keys(built).length, example).toBeGreaterThan(0);
			for (const key of Object.keys(built)) {
				const split = splitPredicateKey(key)!;
				for (const attribute of split.attributes) {
					expect(supportsPredicate(exportFields[attribute as FilterableField], split.predicate), `${example}: ${key}`).toBe(true);
				}
			}
		}
	});

	test('fits 80 columns side by side, and wraps on a narrow terminal without losing a word', () => {
		const wide = filterSyntaxLines(76);
		expect(wide).toHaveLength(filterSyntax.length + 2);
		for (const width of [76, 56, 30]) {
			const lines = filterSyntaxLines(width);
			expect(Math.max(...lines.map(line => line.length)), String(width)).toBeLessThanOrEqual(width);
			const words = lines.join(' ').split(/\s+/).filter(Boolean);
			for (const {example, meaning} of filterSyntax) {
				for (const word of `${example} ${meaning}`.split(' ')) {
					expect(words.join(' '), `${width}: ${word}`).toContain(word);
				}
			}
		}
	});
});
