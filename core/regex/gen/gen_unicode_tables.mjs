// Generates the Unicode tables of hotpath/regex from the Unicode Character Database
// (Debian package unicode-data) at build time. Usage:
//   node gen_unicode_tables.mjs <ucd-dir> <output.cpp>
// The output is compact range lists searched with binary search (the same code is built for
// WebAssembly, so size matters): general category and script as run tables covering every
// code point, binary properties as packed (first, length) ranges, case mappings as sorted pair lists.
import fs from 'node:fs';
import path from 'node:path';

const [ucdDir, outFile] = process.argv.slice(2);
if (!ucdDir || !outFile) {
  console.error('usage: node gen_unicode_tables.mjs <ucd-dir> <output.cpp>');
  process.exit(2);
}
const MAX = 0x10ffff;

function read(rel) {
  return fs.readFileSync(path.join(ucdDir, rel), 'utf8');
}
function tryRead(rel) {
  const p = path.join(ucdDir, rel);
  return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : null;
}
// Yields [first, last, fields[]] for each data line of a "range ; field ; ..." file.
function* rangeLines(text) {
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const fields = line.split(';').map((s) => s.trim());
    const [a, b] = fields[0].split('..');
    const first = parseInt(a, 16);
    const last = b ? parseInt(b, 16) : first;
    yield [first, last, fields.slice(1)];
  }
}
function toRanges(set) {  // set: Uint8Array over code points
  const out = [];
  for (let cp = 0; cp <= MAX; cp++) {
    if (!set[cp]) continue;
    const start = cp;
    while (cp + 1 <= MAX && set[cp + 1]) cp++;
    out.push([start, cp]);
  }
  return out;
}

// ---- General_Category ---------------------------------------------------------------------
const GC_LEAVES = ['Cc', 'Cf', 'Cn', 'Co', 'Cs', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'Mc', 'Me', 'Mn',
  'Nd', 'Nl', 'No', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'Sc', 'Sk', 'Sm', 'So', 'Zl', 'Zp',
  'Zs'];
const gcIndex = new Map(GC_LEAVES.map((g, i) => [g, i]));
const gc = new Uint8Array(MAX + 1).fill(gcIndex.get('Cn'));
const upperSimple = new Map();
const lowerSimple = new Map();
{
  const lines = read('UnicodeData.txt').split('\n').filter(Boolean);
  let rangeStart = null;
  for (const line of lines) {
    const f = line.split(';');
    const cp = parseInt(f[0], 16);
    const g = gcIndex.get(f[2]);
    if (f[1].endsWith(', First>')) { rangeStart = cp; continue; }
    if (f[1].endsWith(', Last>')) {
      for (let c = rangeStart; c <= cp; c++) gc[c] = g;
      continue;
    }
    gc[cp] = g;
    if (f[12]) upperSimple.set(cp, parseInt(f[12], 16));
    if (f[13]) lowerSimple.set(cp, parseInt(f[13], 16));
  }
}
const gcRuns = [];
for (let cp = 0; cp <= MAX; cp++) {
  if (cp === 0 || gc[cp] !== gc[cp - 1]) gcRuns.push((cp << 5) | gc[cp]);
}
// Value names (long, short and extra aliases) -> bit mask over GC_LEAVES.
const gcNames = new Map();
{
  const groups = { C: ['Cc', 'Cf', 'Cn', 'Co', 'Cs'], L: ['Ll', 'Lm', 'Lo', 'Lt', 'Lu'],
    LC: ['Ll', 'Lt', 'Lu'], M: ['Mc', 'Me', 'Mn'], N: ['Nd', 'Nl', 'No'],
    P: ['Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps'], S: ['Sc', 'Sk', 'Sm', 'So'],
    Z: ['Zl', 'Zp', 'Zs'] };
  for (const raw of read('PropertyValueAliases.txt').split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line.startsWith('gc ')) continue;
    const f = line.split(';').map((s) => s.trim());
    const short = f[1];
    const leaves = groups[short] || [short];
    let mask = 0;
    for (const l of leaves) {
      if (!gcIndex.has(l)) throw new Error('unknown gc ' + l);
      mask |= 1 << gcIndex.get(l);
    }
    for (const name of f.slice(1)) gcNames.set(name, mask >>> 0);
  }
}

// ---- Script and Script_Extensions ---------------------------------------------------------
const scriptShort = [];      // index -> short name
const scriptIndex = new Map();  // any alias -> index
const scriptNames = new Map();  // alias -> index (for the output)
for (const raw of read('PropertyValueAliases.txt').split('\n')) {
  const line = raw.replace(/#.*/, '').trim();
  if (!line.startsWith('sc ')) continue;
  const f = line.split(';').map((s) => s.trim());
  const idx = scriptShort.length;
  scriptShort.push(f[1]);
  for (const name of f.slice(1)) { scriptIndex.set(name, idx); scriptNames.set(name, idx); }
}
if (scriptShort.length > 255) throw new Error('too many scripts');
const script = new Uint8Array(MAX + 1).fill(scriptIndex.get('Zzzz'));
for (const [a, b, f] of rangeLines(read('Scripts.txt'))) {
  const idx = scriptIndex.get(f[0]);
  if (idx === undefined) throw new Error('unknown script ' + f[0]);
  for (let c = a; c <= b; c++) script[c] = idx;
}
const scriptRuns = [];
for (let cp = 0; cp <= MAX; cp++) {
  if (cp === 0 || script[cp] !== script[cp - 1]) scriptRuns.push((cp << 8) | script[cp]);
}
const scxEntries = [];   // [first, last, setOffset]
const scxSets = [];      // flattened script indices, each set terminated by 255
const scxSetOffset = new Map();
for (const [a, b, f] of rangeLines(read('ScriptExtensions.txt'))) {
  const key = f[0];
  if (!scxSetOffset.has(key)) {
    scxSetOffset.set(key, scxSets.length);
    for (const s of key.split(/\s+/)) {
      const idx = scriptIndex.get(s);
      if (idx === undefined) throw new Error('unknown scx script ' + s);
      scxSets.push(idx);
    }
    scxSets.push(255);
  }
  scxEntries.push([a, b, scxSetOffset.get(key)]);
}
scxEntries.sort((x, y) => x[0] - y[0]);

// ---- Binary properties (the ECMA-262 table of binary Unicode properties) --------------------
const BINARY = [
  ['ASCII_Hex_Digit', 'AHex'], ['Alphabetic', 'Alpha'], ['Bidi_Control', 'Bidi_C'],
  ['Bidi_Mirrored', 'Bidi_M'], ['Case_Ignorable', 'CI'], ['Cased'],
  ['Changes_When_Casefolded', 'CWCF'], ['Changes_When_Casemapped', 'CWCM'],
  ['Changes_When_Lowercased', 'CWL'], ['Changes_When_NFKC_Casefolded', 'CWKCF'],
  ['Changes_When_Titlecased', 'CWT'], ['Changes_When_Uppercased', 'CWU'], ['Dash'],
  ['Default_Ignorable_Code_Point', 'DI'], ['Deprecated', 'Dep'], ['Diacritic', 'Dia'],
  ['Emoji'], ['Emoji_Component', 'EComp'], ['Emoji_Modifier', 'EMod'],
  ['Emoji_Modifier_Base', 'EBase'], ['Emoji_Presentation', 'EPres'],
  ['Extended_Pictographic', 'ExtPict'], ['Extender', 'Ext'], ['Grapheme_Base', 'Gr_Base'],
  ['Grapheme_Extend', 'Gr_Ext'], ['Hex_Digit', 'Hex'], ['IDS_Binary_Operator', 'IDSB'],
  ['IDS_Trinary_Operator', 'IDST'], ['ID_Continue', 'IDC'], ['ID_Start', 'IDS'],
  ['Ideographic', 'Ideo'], ['Join_Control', 'Join_C'], ['Logical_Order_Exception', 'LOE'],
  ['Lowercase', 'Lower'], ['Math'], ['Noncharacter_Code_Point', 'NChar'],
  ['Pattern_Syntax', 'Pat_Syn'], ['Pattern_White_Space', 'Pat_WS'],
  ['Quotation_Mark', 'QMark'], ['Radical'], ['Regional_Indicator', 'RI'],
  ['Sentence_Terminal', 'STerm'], ['Soft_Dotted', 'SD'], ['Terminal_Punctuation', 'Term'],
  ['Unified_Ideograph', 'UIdeo'], ['Uppercase', 'Upper'], ['Variation_Selector', 'VS'],
  ['White_Space', 'space'], ['XID_Continue', 'XIDC'], ['XID_Start', 'XIDS'],
];
const wanted = new Map(BINARY.map(([n]) => [n, new Uint8Array(MAX + 1)]));
const sources = ['PropList.txt', 'DerivedCoreProperties.txt', 'DerivedNormalizationProps.txt',
  'extracted/DerivedBinaryProperties.txt', 'emoji/emoji-data.txt'];
for (const src of sources) {
  const text = tryRead(src);
  if (text === null) continue;
  for (const [a, b, f] of rangeLines(text)) {
    const set = wanted.get(f[0]);
    if (!set || f.length !== 1) continue;
    for (let c = a; c <= b; c++) set[c] = 1;
  }
}
const binaryProps = [];  // [name, offset, count]
const binaryRanges = [];
for (const [name, ...aliases] of BINARY) {
  const ranges = toRanges(wanted.get(name));
  if (ranges.length === 0) continue;  // data file missing: the name stays unknown
  // Packed as (first << 11) | (length - 1); longer ranges are split.
  const offset = binaryRanges.length;
  for (let [a, b] of ranges) {
    while (b - a >= 2048) { binaryRanges.push(((a << 11) | 2047) >>> 0); a += 2048; }
    binaryRanges.push(((a << 11) | (b - a)) >>> 0);
  }
  for (const n of [name, ...aliases]) binaryProps.push([n, offset, binaryRanges.length - offset]);
}

// ---- Case mappings --------------------------------------------------------------------------
// u-mode Canonicalize: simple case folding (status C and S).
const fold = [];
for (const [a, , f] of rangeLines(read('CaseFolding.txt'))) {
  if (f[0] === 'C' || f[0] === 'S') fold.push([a, parseInt(f[1], 16)]);
}
fold.sort((x, y) => x[0] - y[0]);
// Non-u Canonicalize: toUppercase when it yields exactly one UTF-16 code unit, never mapping
// a non-ASCII character to ASCII. Characters whose full uppercase (SpecialCasing) has several
// characters keep their own value. Only the BMP, as in UTF-16 code-unit matching.
// SpecialCasing.txt's unconditional mappings (the conditional ones, Final_Sigma and the
// language-specific ones, have a fifth field): [code point, lower, upper] as code point lists.
const specialCasing = [];
for (const raw of read('SpecialCasing.txt').split('\n')) {
  const line = raw.replace(/#.*/, '').trim();
  if (!line) continue;
  const f = line.split(';').map((s) => s.trim());
  if (f.length > 5 && f[4]) continue;
  const seq = (t) => t.split(/\s+/).filter(Boolean).map((h) => parseInt(h, 16));
  specialCasing.push([parseInt(f[0], 16), seq(f[1]), seq(f[3])]);
}
const multiUpper = new Set(specialCasing.filter((e) => e[2].length > 1).map((e) => e[0]));
const upper = [];
for (const [cp, up] of [...upperSimple.entries()].sort((x, y) => x[0] - y[0])) {
  if (cp > 0xffff || up > 0xffff || multiUpper.has(cp)) continue;
  if (cp >= 128 && up < 128) continue;
  if (cp !== up) upper.push([cp, up]);
}

// Full, locale-independent case conversion (String.prototype.toUpperCase / toLowerCase, used
// by JSONata's $uppercase / $lowercase): the simple mappings of UnicodeData.txt, overridden by
// the unconditional mappings of SpecialCasing.txt (ß -> SS, ﬁ -> FI, İ -> i̇). The one
// conditional mapping JavaScript applies, Final_Sigma, is code (unicode_case.cpp).
const fullUpper = new Map([...upperSimple].map(([cp, up]) => [cp, [up]]));
const fullLower = new Map([...lowerSimple].map(([cp, lo]) => [cp, [lo]]));
for (const [cp, lower, upper] of specialCasing) {
  fullLower.set(cp, lower);
  fullUpper.set(cp, upper);
}
const caseChars = [];
function caseTable(map) {
  const rows = [];
  for (const [cp, to] of [...map.entries()].sort((x, y) => x[0] - y[0])) {
    if (to.length === 1 && to[0] === cp) continue;
    rows.push([cp, caseChars.length, to.length]);
    caseChars.push(...to);
  }
  return rows;
}
const toUpperRows = caseTable(fullUpper);
const toLowerRows = caseTable(fullLower);

// ---- Output ---------------------------------------------------------------------------------
function nums(arr, perLine = 12) {
  const lines = [];
  for (let i = 0; i < arr.length; i += perLine) {
    lines.push('    ' + arr.slice(i, i + perLine).map((n) => '0x' + n.toString(16)).join(', ') + ',');
  }
  return lines.join('\n');
}
function nameTable(type, entries, fmt) {
  entries.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return entries.map((e) => `    {"${e[0]}", ${fmt(e)}},`).join('\n');
}
const version = (read('DerivedCoreProperties.txt').match(/DerivedCoreProperties-([\d.]+)\.txt/) || [])[1] || '?';
const out = `// Generated by core/regex/gen/gen_unicode_tables.mjs from the Unicode Character Database
// ${version} in ${ucdDir}. Do not edit; do not commit.
#include "regex_unicode_data.h"

namespace hotpath::regex::ucd {

const char kUnicodeVersion[] = "${version}";

const uint32_t kGcRuns[] = {
${nums(gcRuns)}
};
const size_t kGcRunCount = ${gcRuns.length};

const ValueName kGcNames[] = {
${nameTable('gc', [...gcNames.entries()], (e) => '0x' + e[1].toString(16))}
};
const size_t kGcNameCount = ${gcNames.size};

const uint32_t kScriptRuns[] = {
${nums(scriptRuns)}
};
const size_t kScriptRunCount = ${scriptRuns.length};

const ValueName kScriptNames[] = {
${nameTable('sc', [...scriptNames.entries()], (e) => e[1])}
};
const size_t kScriptNameCount = ${scriptNames.size};

const ScxEntry kScxEntries[] = {
${scxEntries.map((e) => `    {0x${e[0].toString(16)}, 0x${e[1].toString(16)}, ${e[2]}},`).join('\n')}
};
const size_t kScxEntryCount = ${scxEntries.length};
const uint8_t kScxSets[] = {
${nums(scxSets, 16)}
};

const BinaryProperty kBinaryProperties[] = {
${nameTable('bin', binaryProps, (e) => `${e[1]}, ${e[2]}`)}
};
const size_t kBinaryPropertyCount = ${binaryProps.length};
const uint32_t kBinaryRanges[] = {
${nums(binaryRanges)}
};

const uint32_t kFoldFrom[] = {
${nums(fold.map((p) => p[0]))}
};
const uint32_t kFoldTo[] = {
${nums(fold.map((p) => p[1]))}
};
const size_t kFoldCount = ${fold.length};

const uint16_t kUpperFrom[] = {
${nums(upper.map((p) => p[0]))}
};
const uint16_t kUpperTo[] = {
${nums(upper.map((p) => p[1]))}
};
const size_t kUpperCount = ${upper.length};

const CaseMapping kToUpper[] = {
${toUpperRows.map((r) => `    {0x${r[0].toString(16)}, ${r[1]}, ${r[2]}},`).join('\n')}
};
const size_t kToUpperCount = ${toUpperRows.length};
const CaseMapping kToLower[] = {
${toLowerRows.map((r) => `    {0x${r[0].toString(16)}, ${r[1]}, ${r[2]}},`).join('\n')}
};
const size_t kToLowerCount = ${toLowerRows.length};
const uint32_t kCaseChars[] = {
${nums(caseChars)}
};

}  // namespace hotpath::regex::ucd
`;
fs.mkdirSync(path.dirname(outFile), { recursive: true });
const tmp = outFile + '.tmp';
fs.writeFileSync(tmp, out);
fs.renameSync(tmp, outFile);
console.log(`regex unicode tables: gc runs ${gcRuns.length}, script runs ${scriptRuns.length}, ` +
  `scx ${scxEntries.length}, binary ranges ${binaryRanges.length}, fold ${fold.length}, ` +
  `upper ${upper.length}, toUpper ${toUpperRows.length}, toLower ${toLowerRows.length}`);
