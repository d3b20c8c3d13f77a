/**
 * Country name -> ISO 3166-1 alpha-2, for targets that demand codes (legacy ERPs, 3PLs, CRMs)
 * when the source may only carry a name. The English names come from the runtime's ICU data
 * (Intl.DisplayNames, complete in Node's default full-icu build), so the table needs no upkeep;
 * the aliases cover the names people and older systems actually type.
 */

// The 249 officially assigned ISO 3166-1 alpha-2 codes.
const CODES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
  'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
  'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
  'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
  'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

export const ISO_COUNTRY_CODES: ReadonlySet<string> = new Set(CODES);

const ALIASES: Record<string, string> = {
  'united states of america': 'US',
  usa: 'US',
  'u.s.a.': 'US',
  'u.s.': 'US',
  america: 'US',
  'united kingdom of great britain and northern ireland': 'GB',
  uk: 'GB',
  'great britain': 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  deutschland: 'DE',
  'federal republic of germany': 'DE',
  holland: 'NL',
  'the netherlands': 'NL',
  'korea, republic of': 'KR',
  'republic of korea': 'KR',
  'korea, south': 'KR',
  'korea, north': 'KP',
  'russian federation': 'RU',
  'viet nam': 'VN',
  'czech republic': 'CZ',
  'ivory coast': 'CI',
  "cote d'ivoire": 'CI',
  'macedonia': 'MK',
  swaziland: 'SZ',
  burma: 'MM',
  'hong kong sar china': 'HK',
  'hong kong sar': 'HK',
  'macao sar china': 'MO',
  macau: 'MO',
  'taiwan, province of china': 'TW',
  'iran, islamic republic of': 'IR',
  'syrian arab republic': 'SY',
  "lao people's democratic republic": 'LA',
  'tanzania, united republic of': 'TZ',
  'bolivia, plurinational state of': 'BO',
  'venezuela, bolivarian republic of': 'VE',
  'moldova, republic of': 'MD',
  'palestine, state of': 'PS',
  'congo, the democratic republic of the': 'CD',
  'democratic republic of the congo': 'CD',
  'republic of the congo': 'CG',
  'micronesia, federated states of': 'FM',
  'vatican city': 'VA',
  'holy see': 'VA',
  'schweiz': 'CH',
  suisse: 'CH',
  españa: 'ES',
  italia: 'IT',
  nippon: 'JP',
  turkey: 'TR',
  'south korea': 'KR',
  russia: 'RU',
};

/** Lower case, accents removed, "&" as "and", punctuation other than ' . , - dropped, spaces collapsed. */
export function normalizeCountryName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019`]/g, "'")
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9'., -]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

let index: Map<string, string> | undefined;

function nameIndex(): Map<string, string> {
  if (index) return index;
  index = new Map();
  const display = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  for (const code of CODES) {
    const name = display.of(code);
    if (name) index.set(normalizeCountryName(name), code);
  }
  for (const [alias, code] of Object.entries(ALIASES)) index.set(normalizeCountryName(alias), code);
  return index;
}

/** ISO-2 code for a country name or code, or undefined when it is not recognised. */
export function countryToIso2(value: string): string | undefined {
  const trimmed = value.trim();
  if (/^[A-Za-z]{2}$/.test(trimmed) && ISO_COUNTRY_CODES.has(trimmed.toUpperCase())) return trimmed.toUpperCase();
  const normalized = normalizeCountryName(trimmed);
  if (normalized === '') return undefined;
  return nameIndex().get(normalized) ?? nameIndex().get(normalized.replace(/^the /, ''));
}
