// The linter `npm test` runs. A modest rule set: the recommended rules of ESLint and
// typescript-eslint (without the ones that need type information, so a run takes seconds), the
// Rules of Hooks, and the code's own style (tabs, braces, single quotes, semicolons). A rule
// switched off below is one the code deliberately does otherwise; every `eslint-disable` comment
// left in the code suppresses a report that is there (unused ones are errors).
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ignores: ['dist/', 'node_modules/']},
	{linterOptions: {reportUnusedDisableDirectives: 'error'}},
	js.configs.recommended,
	tseslint.configs.recommended,
	{
		languageOptions: {globals: globals.node},
		plugins: {'@stylistic': stylistic, 'react-hooks': reactHooks},
		rules: {
			'react-hooks/rules-of-hooks': 'error',
			'react-hooks/exhaustive-deps': 'error',
			// A terminal program: matching escape sequences and control characters is its job.
			'no-control-regex': 'off',
			// A `let` that a callback reads before it is assigned (the request's own handle) stays a let.
			'prefer-const': ['error', {ignoreReadBeforeAssign: true}],
			// Awaiting in a loop is how requests are kept in order and paced, on purpose.
			'no-await-in-loop': 'off',
			// `_name` is a value left out on purpose (`{id: _id, ...rest}`, `for (const _ of …)`).
			'@typescript-eslint/no-unused-vars': ['error', {ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'}],
			// One brace style, the one most files had: every body in braces, braces on the line of
			// their statement, and a blank line after a block.
			curly: ['error', 'all'],
			'@stylistic/brace-style': ['error', '1tbs'],
			'@stylistic/padding-line-between-statements': ['error', {blankLine: 'always', prev: 'block-like', next: '*'}],
			'@stylistic/indent': ['error', 'tab', {SwitchCase: 1, ignoredNodes: ['ConditionalExpression']}],
			'@stylistic/quotes': ['error', 'single', {avoidEscape: true, allowTemplateLiterals: 'always'}],
			'@stylistic/semi': ['error', 'always'],
			'@stylistic/object-curly-spacing': ['error', 'never'],
			// Generics keep theirs: `<T,>` is how a .tsx file writes a generic arrow function.
			'@stylistic/comma-dangle': ['error', {arrays: 'always-multiline', objects: 'always-multiline', imports: 'always-multiline', exports: 'always-multiline', functions: 'always-multiline', enums: 'always-multiline', tuples: 'always-multiline', generics: 'ignore'}],
			'@stylistic/no-trailing-spaces': 'error',
			'@stylistic/eol-last': 'error',
		},
	},
);
