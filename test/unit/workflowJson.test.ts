/** Exact JSON (big integers), field ids, node id order and the inline Workflow JSON check. */
import { ExactInteger, integerDigits } from '../../nodes/shared/workflow/exactInteger';
import { parseExactJson } from '../../nodes/shared/workflow/exactJson';
import { fieldIdOf, parseFieldId } from '../../nodes/shared/workflow/fieldId';
import { compareNodeIds, isLink } from '../../nodes/shared/workflow/graph';
import { jsonText } from '../../nodes/shared/workflow/jsonText';
import { checkWorkflowJson } from '../../nodes/shared/workflow/workflowJson';

const SEED_INFO = '{"seed": ["INT", {"default": 0, "min": 0, "max": 18446744073709551615}]}';

describe('parseExactJson', () => {
	test('keeps an integer past 2^53 exact, where JSON.parse rounds it', () => {
		expect((JSON.parse(SEED_INFO) as { seed: [string, { max: number }] }).seed[1].max).toBe(
			18446744073709552000,
		);
		const parsed = parseExactJson(SEED_INFO) as { seed: [string, Record<string, unknown>] };
		expect(parsed.seed[1]).toEqual({
			default: 0,
			min: 0,
			max: new ExactInteger('18446744073709551615'),
		});
		expect(parseExactJson('[-18446744073709551615, 9007199254740991, 9007199254740992]')).toEqual([
			new ExactInteger('-18446744073709551615'),
			9007199254740991,
			new ExactInteger('9007199254740992'),
		]);
	});

	test('a big number with a fraction or exponent is a number, as in JSON.parse', () => {
		expect(parseExactJson('[18446744073709551615.5, 1e21, 1E400]')).toEqual([
			18446744073709552000,
			1e21,
			Infinity,
		]);
	});

	test.each([
		'{"a": [1, 2.5, -0.1e-3, true, false, null, "x"], "b": {}, "c": []}',
		'"\\u00e9\\n\\t\\"quoted\\" \\\\ \\/ \\ud83d\\ude00"',
		' \n\t{ "nested" : { "deep" : [ [ [ ] ] ] } } \r\n',
		'"plain é 🐍 text"',
		'0',
		'-0',
		'{"dup": 1, "dup": 2}',
	])('reads %s as JSON.parse does', (text) => {
		expect(parseExactJson(text)).toEqual(JSON.parse(text));
	});

	test('"__proto__" is an own key, never the prototype', () => {
		const parsed = parseExactJson('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
		expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
		expect(Object.keys(parsed)).toEqual(['__proto__']);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	test.each([
		['', 'Unexpected end in JSON at position 0'],
		['{"a": 1,}', 'Expected a property name in JSON at position 8'],
		['[1, 2', 'Unexpected end in JSON at position 5'],
		['[1 2]', 'Expected "," in JSON at position 3'],
		['"unterminated', 'Unexpected token in JSON at position 0'],
		['"tab\there"', 'Unexpected token in JSON at position 0'],
		['01', 'Unexpected data after the JSON value in JSON at position 1'],
		['1 2', 'Unexpected data after the JSON value in JSON at position 2'],
		['{a: 1}', 'Unexpected token in JSON at position 1'],
		['{1: 1}', 'Expected a property name in JSON at position 1'],
		['[tru]', 'Unexpected token in JSON at position 1'],
		['"\\x"', 'Unexpected token in JSON at position 0'],
	])('%p is refused: %s', (text, message) => {
		expect(() => parseExactJson(text)).toThrow(new SyntaxError(message));
	});

	test('deep nesting is refused, not a stack overflow', () => {
		expect(() => parseExactJson('['.repeat(5000))).toThrow(/Nested too deeply/);
	});
});

describe('ExactInteger and jsonText', () => {
	test.each([
		['42', '42'],
		[' +007 ', '7'],
		['-0', '0'],
		['-000123', '-123'],
		['18446744073709551615', '18446744073709551615'],
		['1.0', undefined],
		['1e3', undefined],
		['', undefined],
		['- 1', undefined],
	])('integerDigits(%p) is %p', (text, digits) => {
		expect(integerDigits(text)).toBe(digits);
	});

	test('an ExactInteger refuses what is not an integer, and shows as its digits', () => {
		expect(() => new ExactInteger('12.5')).toThrow(TypeError);
		const seed = new ExactInteger('18446744073709551615');
		expect(`${seed}`).toBe('18446744073709551615');
		// n8n's own output JSON can't hold it exactly: it shows the digits as text.
		expect(JSON.stringify({ seed })).toBe('{"seed":"18446744073709551615"}');
	});

	test('jsonText writes an ExactInteger as a bare integer, exact', () => {
		const body = {
			overrides: { '3': { inputs: { seed: new ExactInteger('18446744073709551615') } } },
		};
		expect(jsonText(body)).toBe('{"overrides":{"3":{"inputs":{"seed":18446744073709551615}}}}');
		expect(parseExactJson(jsonText(body))).toEqual(body);
	});

	test('everything else exactly as JSON.stringify writes it', () => {
		const value = {
			text: 'é "quoted" \n',
			numbers: [1, -2.5, 1e21, NaN, Infinity],
			flags: [true, false, null],
			skipped: undefined,
			fn: () => 1,
			list: [undefined, () => 1],
			when: new Date(Date.UTC(2025, 0, 2)),
			nested: { empty: {}, none: [] },
		};
		expect(jsonText(value)).toBe(JSON.stringify(value));
		expect(jsonText('x')).toBe('"x"');
		expect(jsonText(undefined)).toBe('null');
	});

	test('a circular value is refused as JSON.stringify refuses it', () => {
		const loop: Record<string, unknown> = {};
		loop.self = loop;
		expect(() => jsonText(loop)).toThrow(TypeError);
		const shared = { a: 1 };
		expect(jsonText([shared, shared])).toBe('[{"a":1},{"a":1}]');
	});
});

describe('field ids', () => {
	test.each([
		['6', 'text', '6.text'],
		['38:42', 'image', '38:42.image'],
		['38:42:7', 'seed', '38:42:7.seed'],
		['a.b', 'x.y', 'a%2Eb.x.y'],
		['q"', 'back\\slash', 'q%22.back%5Cslash'],
		['%41', '100%', '%2541.100%25'],
		['n', 'line\nbreak', 'n.line%0Abreak'],
	])('node %p, input %p ⇄ %p', (nodeId, inputName, id) => {
		expect(fieldIdOf(nodeId, inputName)).toBe(id);
		expect(parseFieldId(id)).toEqual({ nodeId, inputName });
	});

	test.each(['text', '.text', '6.', '', '6.%zz', 'a%2eb.x', '6.say "hi"'])(
		'%p is no field id',
		(id) => {
			expect(parseFieldId(id)).toBeUndefined();
		},
	);
});

describe('node ids and links', () => {
	test('node ids in the order a user reads them, composite ids part by part', () => {
		const ids = ['10', '38:42', '3', 'abc', '38', '38:5', '9', '38:42:1', '100', '39'];
		expect(ids.sort(compareNodeIds)).toEqual([
			'3',
			'9',
			'10',
			'38',
			'38:5',
			'38:42',
			'38:42:1',
			'39',
			'100',
			'abc',
		]);
	});

	test.each([
		[['4', 0], true],
		[[4, 1], true],
		[['38:42', 2], true],
		[['4', -1], false],
		[['4', 0.5], false],
		[['a', 'b'], false],
		[[1, 2, 3], false],
		['4', false],
	])('%p is a link: %p', (value, link) => {
		expect(isLink(value)).toBe(link);
	});
});

describe('Workflow JSON (advanced: a whole graph inline)', () => {
	const WORKFLOW = `{
		"3": {"class_type": "KSampler", "inputs": {"seed": 18446744073709551615, "model": ["4", 0]}},
		"4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "v1-5.safetensors"}, "_meta": {"title": "Load"}}
	}`;

	test('an API-format workflow is accepted, its big seed exact, as text or as an object', () => {
		const graph = checkWorkflowJson(WORKFLOW);
		expect(graph).toEqual({ value: parseExactJson(WORKFLOW) });
		if ('value' in graph)
			expect(graph.value['3'].inputs.seed).toEqual(new ExactInteger('18446744073709551615'));
		const object = { '1': { class_type: 'LoadImage', inputs: { image: 'https://a/b.png' } } };
		expect(checkWorkflowJson(object)).toEqual({ value: object });
	});

	const EXPORT = 'export it from ComfyUI with "Export (API)"';
	test.each([
		['', `Workflow JSON is empty: ${EXPORT} and paste it here`],
		['{"3": ', 'Workflow JSON is not valid JSON (Unexpected end in JSON at position 6)'],
		[
			'[1, 2]',
			`Workflow JSON must be an object of nodes in ComfyUI's API format, got [1,2]: ${EXPORT}`,
		],
		['{}', `Workflow JSON has no nodes: ${EXPORT}`],
		[
			'{"last_node_id": 9, "nodes": [], "links": []}',
			`Workflow JSON is in ComfyUI's UI format (a list of nodes and links); the API takes the API format: ${EXPORT}`,
		],
		[
			'{"prompt": {"3": {"class_type": "KSampler", "inputs": {}}}}',
			'Workflow JSON is wrapped in "prompt": give the object inside it',
		],
		[
			'{"3": {"inputs": {}}, "4": {"class_type": "X"}, "5": 7, "6": {"class_type": " ", "inputs": {}}}',
			'Workflow JSON must be an object of nodes, each with "class_type" and "inputs": node "3" has no "class_type"; node "4" (X) has no "inputs" object; node "5" is 7, not an object (and 1 more)',
		],
		[
			'{"3": {"class_type": "KSampler", "inputs": {"model": ["4", 0]}}}',
			'Workflow JSON has a broken link: "model" of node "3" links to node "4", which the workflow does not have',
		],
		[
			'{"__proto__": {"class_type": "X", "inputs": {}}}',
			'Workflow JSON must be an object of nodes, each with "class_type" and "inputs": the node id "__proto__" can\'t be used',
		],
	])('%p is refused: %s', (raw, problem) => {
		expect(checkWorkflowJson(raw)).toEqual({ problem });
	});

	test('the message names the field as the node shows it', () => {
		expect(checkWorkflowJson('', 'Workflow (API JSON)')).toEqual({
			problem: `Workflow (API JSON) is empty: ${EXPORT} and paste it here`,
		});
	});
});
