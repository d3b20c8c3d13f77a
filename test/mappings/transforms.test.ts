import { describe, expect, it } from 'vitest';
import { countryToIso2, ISO_COUNTRY_CODES } from '../../src/mappings/countries.ts';
import { describeTransform, parseTransform, roundDecimal, runTransform, TransformError, transformNames, type Lookup, type TransformContext } from '../../src/mappings/transforms.ts';

const lookups: Record<string, Lookup> = {
  status: { entries: { '11': 'OPEN', '10': 'CLOSED' }, onMiss: 'reject' },
  tender: { entries: { 'Credit Card': 'CC' }, onMiss: 'default', default: 'OTHER' },
  guest: { entries: { C0: 'WEBGUEST' }, onMiss: 'passthrough' },
  flags: { entries: { ACTIVE: true, DISCONTINUED: false }, onMiss: 'reject' },
};

function run(transform: unknown, value: unknown): { value: unknown; warnings: string[] } {
  const { steps, issues } = parseTransform(transform, () => undefined);
  expect(issues, JSON.stringify(issues)).toEqual([]);
  const warnings: string[] = [];
  const ctx: TransformContext = { lookups, warn: (code, message) => warnings.push(`${code}: ${message}`) };
  return { value: runTransform(value, steps, ctx), warnings };
}

const apply = (transform: unknown, value: unknown) => run(transform, value).value;

// [transform, input, expected]
const cases: [string, unknown, unknown, unknown][] = [
  ['trim', 'trim', '  Zoë  ', 'Zoë'],
  ['upper', 'upper', 'eur', 'EUR'],
  ['lower', 'lower', 'Ova@Example.COM', 'ova@example.com'],
  ['collapseWhitespace joins lines', 'collapseWhitespace', 'Line one\nLine two\t\t three ', 'Line one Line two three'],
  ['toString of a number', 'toString', 100, '100'],
  ['toInteger of numeric text', 'toInteger', '42', 42],
  ['toNumber of a decimal string', 'toNumber', '62.6793', 62.6793],
  ['toBoolean of Y', 'toBoolean', 'Y', true],
  ['toBoolean of 0', 'toBoolean', '0', false],
  ['replace every match', { replace: { pattern: '[^0-9+]', with: '' } }, '+41 (44) 000-00', '+414400000'],
  ['format a single value', { format: 'BC-{value}' }, 123, 'BC-123'],
  ['format positional sources', { format: '{0}: {1} of {2}' }, ['INV1', 'PAID', 10], 'INV1: PAID of 10'],
  ['format projects each element', { format: '{display_name}: {display_value}' }, [{ display_name: 'Size', display_value: 'L' }, { display_name: 'Colour', display_value: 'Red' }], ['Size: L', 'Colour: Red']],
  ['join skips empty values', { join: '; ' }, ['a', '', null, 'b'], 'a; b'],
  ['concat first and last name', { concat: ' ' }, ['Zoë 😀', 'Ørsted-Łukasiewicz'], 'Zoë 😀 Ørsted-Łukasiewicz'],
  ['concat with an empty part', { concat: ' ' }, ['', 'Madonna'], 'Madonna'],
  ['coalesce takes the first non-empty', 'coalesce', ['', null, 'CH', 'Switzerland'], 'CH'],
  ['splitName first of three words', { splitName: 'first' }, 'Mary Ann Smith', 'Mary Ann'],
  ['splitName last of three words', { splitName: 'last' }, 'Mary Ann Smith', 'Smith'],
  ['splitName last of one word', { splitName: 'last' }, 'Cher', ''],
  ['splitName first of one word', { splitName: 'first' }, 'Cher', 'Cher'],
  ['money rounds half away from zero', 'money', '62.6750', 62.68],
  ['money is exact on 1.005', 'money', '1.005', 1.01],
  ['money of a negative string', 'money', '-2.3450', -2.35],
  ['money with six decimals', { money: { decimals: 6 } }, '0.9200000000', 0.92],
  ['money of a number', 'money', 99.4949, 99.49],
  ['money of empty text is missing', 'money', '', undefined],
  ['round to 0 dp', { round: 0 }, 2.5, 3],
  ['multiply', { multiply: 12 }, 37, 444],
  ['add turns an index into a line number', { add: 1 }, 0, 1],
  ['negate', 'negate', 5, -5],
  ['negate zero stays zero', 'negate', 0, 0],
  ['abs', 'abs', -5, 5],
  ['clamp a negative count', { clamp: { min: 0 } }, -5, 0],
  ['clamp above the maximum', { clamp: { max: 10 } }, 11, 10],
  ['product of two sources', 'product', [37, 12], 444],
  ['sum of money strings after money', ['money', 'sum'], ['0.1000', '0.2000'], 0.3],
  ['sum flattens several lists', 'sum', [[1, 2], [3]], 6],
  ['count', 'count', ['a', 'b', 'c'], 3],
  ['first', 'first', ['x', 'y'], 'x'],
  ['last', 'last', ['x', 'y'], 'y'],
  ['distinct', 'distinct', ['a', 'b', 'a'], ['a', 'b']],
  ['min', 'min', [3, 1, 2], 1],
  ['max', 'max', [3, 1, 2], 3],
  ['RFC-2822 to ISO date-time', { date: { from: 'rfc2822', to: 'iso' } }, 'Tue, 05 Mar 2019 21:40:11 +0000', '2019-03-05T21:40:11Z'],
  ['RFC-2822 to calendar date', { date: { from: 'rfc2822', to: 'date' } }, 'Tue, 05 Mar 2019 23:40:11 +0000', '2019-03-05'],
  ['RFC-2822 with an offset to UTC', { date: { from: 'rfc2822', to: 'iso' } }, 'Tue, 05 Mar 2019 21:40:11 -0500', '2019-03-06T02:40:11Z'],
  ['ISO with offset to RFC-2822', { date: { from: 'iso', to: 'rfc2822' } }, '2026-11-27T12:00:00+01:00', 'Fri, 27 Nov 2026 11:00:00 +0000'],
  ['ISO date to Unix seconds', { date: { from: 'iso', to: 'unix' } }, '1970-01-02', 86400],
  ['Unix seconds to ISO', { date: { from: 'unix', to: 'iso' } }, 1561479335, '2019-06-25T16:15:35Z'],
  ['an empty V2 date is missing', { date: { from: 'rfc2822', to: 'iso' } }, '', undefined],
  ['lookup a number key', { lookup: 'status' }, 11, 'OPEN'],
  ['lookup a boolean value', { lookup: 'flags' }, 'DISCONTINUED', false],
  ['lookup passthrough keeps unknown values', { lookup: 'guest' }, 'C35', 'C35'],
  ['country name to ISO-2', 'countryIso2', 'Switzerland', 'CH'],
  ['country code passes through', 'countryIso2', 'sa', 'SA'],
  ['country alias', 'countryIso2', 'United States of America', 'US'],
  ['country with accents and curly apostrophe', 'countryIso2', 'Côte d’Ivoire', 'CI'],
  ['kilograms to pounds', { convert: { from: 'kg', to: 'lb' } }, 1, 2.2046],
  ['pounds to grams, whole', { convert: { from: 'lb', to: 'g', decimals: 0 } }, '2.5', 1134],
  ['inches to centimetres', { convert: { from: 'in', to: 'cm', decimals: 2 } }, 10, 25.4],
  ['scalar steps map over a list', ['trim', 'upper'], [' a ', 'b '], ['A', 'B']],
  ['missing values pass through scalar steps', ['trim', 'money'], undefined, undefined],
];

describe('transforms', () => {
  it.each(cases)('%s', (_, transform, input, expected) => {
    expect(apply(transform, input)).toEqual(expected);
  });

  it('covers every transform of the vocabulary in the table above', () => {
    const used = new Set(cases.flatMap(([, t]) => (Array.isArray(t) ? t : [t]).map((s) => (typeof s === 'string' ? s : Object.keys(s as object)[0]))));
    expect(transformNames.filter((n) => !used.has(n))).toEqual([]);
  });

  it('warns when a lookup falls back to its default', () => {
    const { value, warnings } = run({ lookup: 'tender' }, 'Credit Card, Gift Certificate');
    expect(value).toBe('OTHER');
    expect(warnings).toEqual([expect.stringMatching(/^lookup-default: "Credit Card, Gift Certificate" is not in lookup tender/)]);
  });

  it.each([
    ['a lookup miss without a default', { lookup: 'status' }, 99, /"99" is not in lookup status \(known: 10, 11\)/],
    ['an undefined lookup table', { lookup: 'nope' }, 'x', /lookup table "nope" is not defined/],
    ['money of text that is not a number', 'money', '12,50', /money: "12,50" is not a number/],
    ['a date that is not RFC-2822', { date: { from: 'rfc2822', to: 'iso' } }, '2019-03-05', /not an RFC-2822 date/],
    ['an unknown country', 'countryIso2', 'Narnia', /"Narnia" is not a country name or ISO code/],
    ['toInteger of a fraction', 'toInteger', 2.5, /not a whole number/],
    ['toBoolean of an unclear value', 'toBoolean', 'maybe', /not a yes\/no value/],
  ])('throws a TransformError for %s', (_, transform, input, message) => {
    expect(() => apply(transform, input)).toThrow(TransformError);
    expect(() => apply(transform, input)).toThrow(message);
  });

  it.each([
    ['an unknown name, with the nearest one', 'uppr', /unknown transform "uppr" \(did you mean "upper"\?\)/],
    ['options given to a transform without options', { trim: 3 }, /trim takes no options/],
    ['missing options', 'lookup', /lookup options are invalid: options are required/],
    ['invalid options', { convert: { from: 'kg', to: 'cm' } }, /from and to must measure the same thing/],
    ['a bad regular expression', { replace: { pattern: '(' } }, /pattern is not a valid regular expression/],
    ['an object with two keys', { trim: null, upper: null }, /exactly one key/],
  ])('rejects %s when parsing', (_, transform, message) => {
    const nearest = (name: string) => (name === 'uppr' ? 'upper' : undefined);
    const { issues } = parseTransform(transform, nearest);
    expect(issues.map((i) => i.message).join('\n')).toMatch(message);
  });

  it('describes a pipeline for the mapping document', () => {
    const { steps } = parseTransform([{ date: { from: 'rfc2822', to: 'date' } }, { lookup: 'status' }, 'money'], () => undefined);
    expect(describeTransform(steps)).toBe('date RFC-2822 → ISO date → lookup status → money to number, 2 dp');
  });

  it('rounds decimal text exactly where binary floating point would not', () => {
    expect(1.005 * 100).not.toBe(100.5);
    expect(roundDecimal('1.005', 2)).toBe(1.01);
    expect(roundDecimal(-0.004, 2)).toBe(0);
  });
});

describe('country codes', () => {
  it('knows the 249 assigned ISO 3166-1 codes and a name for each', () => {
    expect(ISO_COUNTRY_CODES.size).toBe(249);
    const display = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    const unnamed = [...ISO_COUNTRY_CODES].filter((c) => !display.of(c));
    expect(unnamed).toEqual([]);
    for (const code of ISO_COUNTRY_CODES) expect(countryToIso2(display.of(code)!), code).toBe(code);
  });

  it('does not invent a code for an unknown or made-up name', () => {
    expect(countryToIso2('XX')).toBeUndefined();
    expect(countryToIso2('')).toBeUndefined();
    expect(countryToIso2('Atlantis')).toBeUndefined();
  });
});
