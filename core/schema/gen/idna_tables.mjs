// Generates the Unicode tables that the `idn-hostname` / `idn-email` format checkers need
// (core/schema/src/formats_idn.cpp) from the Unicode Character Database of the Debian package
// `unicode-data`. Run at build time; the output is never committed.
//
//   node idna_tables.mjs <UCD dir, e.g. /usr/share/unicode> <output .cpp>
//
// Output: (1) one range table over all code points; each range start carries a property word:
//   bits 0-1   IDNA2008 derived property (RFC 5892 section 3): 0 DISALLOWED/UNASSIGNED,
//              1 PVALID, 2 CONTEXTJ, 3 CONTEXTO
//   bits 2-6   Bidi_Class (enum order below)
//   bits 7-9   Joining_Type (enum order below)
//   bits 10-12 Script, only the five RFC 5892 Appendix A needs (enum order below)
//   bit  13    General_Category is a mark (Mn, Mc, Me)
//   bits 16-23 Canonical_Combining_Class
// Code points that are DISALLOWED get all other bits zero, which keeps the table small: the
// checkers only look at the other properties of code points that passed the IDNA test.
// (2) the canonical composition pairs (first, second) of the primary composites, sorted, for
// the NFC check of U-labels (RFC 5891 section 4.2.1 / 5.3).
import fs from 'node:fs';
import path from 'node:path';

const [ucd, out] = process.argv.slice(2);
if (!ucd || !out) {
  console.error('usage: node idna_tables.mjs <UCD dir> <output.cpp>');
  process.exit(2);
}
const MAX = 0x110000;
const read = (name) => fs.readFileSync(path.join(ucd, name), 'utf8');

// Calls fn(first, last, fields) for every data line of a UCD "range ; value" file.
function eachRange(name, fn) {
  for (const raw of read(name).split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const fields = line.split(';').map((s) => s.trim());
    const [a, b] = fields[0].split('..');
    fn(parseInt(a, 16), parseInt(b ?? a, 16), fields);
  }
}

// General category and canonical combining class from UnicodeData.txt (unlisted = Cn).
const gc = new Array(MAX).fill('Cn');
const ccc = new Uint8Array(MAX);
{
  let rangeStart = -1;
  for (const line of read('UnicodeData.txt').split('\n')) {
    if (!line) continue;
    const f = line.split(';');
    const cp = parseInt(f[0], 16);
    if (f[1].endsWith(', First>')) { rangeStart = cp; continue; }
    const first = f[1].endsWith(', Last>') ? rangeStart : cp;
    for (let c = first; c <= cp; c++) { gc[c] = f[2]; ccc[c] = Number(f[3]); }
  }
}

function binaryProperty(file, prop) {
  const set = new Uint8Array(MAX);
  eachRange(file, (a, b, f) => { if (f[1] === prop) set.fill(1, a, b + 1); });
  return set;
}
const cwkcf = binaryProperty('DerivedNormalizationProps.txt', 'Changes_When_NFKC_Casefolded');
const whiteSpace = binaryProperty('PropList.txt', 'White_Space');
const nonchar = binaryProperty('PropList.txt', 'Noncharacter_Code_Point');
const defaultIgnorable = binaryProperty('DerivedCoreProperties.txt', 'Default_Ignorable_Code_Point');
const oldHangulJamo = new Uint8Array(MAX);
eachRange('HangulSyllableType.txt', (a, b, f) => {
  if (f[1] === 'L' || f[1] === 'V' || f[1] === 'T') oldHangulJamo.fill(1, a, b + 1);
});

// RFC 5892 section 2.6 (Exceptions).
const EXCEPTIONS = new Map([
  [0x00df, 1], [0x03c2, 1], [0x06fd, 1], [0x06fe, 1], [0x0f0b, 1], [0x3007, 1],
  [0x00b7, 3], [0x0375, 3], [0x05f3, 3], [0x05f4, 3], [0x30fb, 3],
  [0x0640, 0], [0x07fa, 0], [0x302e, 0], [0x302f, 0], [0x3031, 0], [0x3032, 0], [0x3033, 0],
  [0x3034, 0], [0x3035, 0], [0x303b, 0],
]);
for (let c = 0x0660; c <= 0x0669; c++) EXCEPTIONS.set(c, 3);
for (let c = 0x06f0; c <= 0x06f9; c++) EXCEPTIONS.set(c, 3);
const IGNORABLE_BLOCKS = [[0x20d0, 0x20ff], [0x1d100, 0x1d1ff], [0x1d200, 0x1d24f]];
const LETTER_DIGITS = new Set(['Ll', 'Lu', 'Lo', 'Nd', 'Lm', 'Mn', 'Mc']);

// RFC 5892 section 3: the derived property value, in the RFC's order of rules.
function idna(c) {
  if (EXCEPTIONS.has(c)) return EXCEPTIONS.get(c);
  if (gc[c] === 'Cn' && !nonchar[c]) return 0;                      // UNASSIGNED
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d) return 1;  // LDH
  if (c === 0x200c || c === 0x200d) return 2;                       // JoinControl
  // Unstable: cp != NFKC(CaseFold(NFKC(cp))). CWKCF differs from it only on default
  // ignorables, which the next rule disallows anyway.
  if (cwkcf[c]) return 0;
  if (defaultIgnorable[c] || whiteSpace[c] || nonchar[c]) return 0;
  if (IGNORABLE_BLOCKS.some(([a, b]) => c >= a && c <= b)) return 0;
  if (oldHangulJamo[c]) return 0;
  return LETTER_DIGITS.has(gc[c]) ? 1 : 0;
}

const BIDI = ['L', 'R', 'AL', 'EN', 'ES', 'ET', 'AN', 'CS', 'NSM', 'BN', 'B', 'S', 'WS', 'ON',
  'LRE', 'LRO', 'RLE', 'RLO', 'PDF', 'LRI', 'RLI', 'FSI', 'PDI'];
const bidi = new Uint8Array(MAX);  // unlisted code points are L (0)
eachRange('extracted/DerivedBidiClass.txt', (a, b, f) => {
  const v = BIDI.indexOf(f[1]);
  if (v < 0) throw new Error(`unknown Bidi_Class ${f[1]}`);
  bidi.fill(v, a, b + 1);
});
const JOINING = ['U', 'C', 'D', 'L', 'R', 'T'];
const joining = new Uint8Array(MAX);
eachRange('extracted/DerivedJoiningType.txt', (a, b, f) => {
  const v = JOINING.indexOf(f[1]);
  if (v < 0) throw new Error(`unknown Joining_Type ${f[1]}`);
  joining.fill(v, a, b + 1);
});
const SCRIPTS = ['Other', 'Greek', 'Hebrew', 'Hiragana', 'Katakana', 'Han'];
const script = new Uint8Array(MAX);
eachRange('Scripts.txt', (a, b, f) => {
  const v = SCRIPTS.indexOf(f[1]);
  if (v > 0) script.fill(v, a, b + 1);
});

function props(c) {
  const d = idna(c);
  if (d === 0) return 0;
  const mark = gc[c] === 'Mn' || gc[c] === 'Mc' || gc[c] === 'Me' ? 1 : 0;
  return d | (bidi[c] << 2) | (joining[c] << 7) | (script[c] << 10) | (mark << 13) |
         (ccc[c] << 16);
}

// Primary composites: canonical two-code-point decompositions that are not excluded from
// composition (Full_Composition_Exclusion).
const excluded = binaryProperty('DerivedNormalizationProps.txt', 'Full_Composition_Exclusion');
const pairs = [];
for (const line of read('UnicodeData.txt').split('\n')) {
  if (!line) continue;
  const f = line.split(';');
  const cp = parseInt(f[0], 16);
  if (!f[5] || f[5].startsWith('<') || excluded[cp]) continue;
  const parts = f[5].split(' ').map((h) => parseInt(h, 16));
  if (parts.length === 2) pairs.push(BigInt(parts[0]) * 0x200000n + BigInt(parts[1]));
}
pairs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

const starts = [];
const values = [];
for (let c = 0; c < MAX; c++) {
  const v = props(c);
  if (values.length === 0 || values[values.length - 1] !== v) { starts.push(c); values.push(v); }
}

function rows(arr, perLine, fmt) {
  const lines = [];
  for (let i = 0; i < arr.length; i += perLine) {
    lines.push('    ' + arr.slice(i, i + perLine).map(fmt).join(', ') + ',');
  }
  return lines.join('\n');
}
const ucdVersion = (read('ReadMe.txt').match(/Date: (\S+)/) || [])[1] ?? 'unknown';
const text = `// GENERATED by core/schema/gen/idna_tables.mjs from the Unicode Character Database
// (${ucd}, dated ${ucdVersion}). Do not edit and do not commit.
#include <cstddef>
#include <cstdint>

#include "formats_idn.h"

namespace hotpath::schema::internal::idn {

namespace {
constexpr uint32_t kStarts[${starts.length}] = {
${rows(starts, 10, (s) => '0x' + s.toString(16))}
};
constexpr uint32_t kValues[${values.length}] = {
${rows(values, 12, (v) => '0x' + v.toString(16))}
};
// (first << 21) | second for every canonical composition pair.
constexpr uint64_t kCompositionPairs[${pairs.length}] = {
${rows(pairs, 6, (p) => '0x' + p.toString(16) + 'ull')}
};
}  // namespace

bool has_composition(uint32_t first, uint32_t second) {
  uint64_t key = (static_cast<uint64_t>(first) << 21) | second;
  size_t lo = 0;
  size_t hi = ${pairs.length};
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (kCompositionPairs[mid] < key) lo = mid + 1; else hi = mid;
  }
  return lo < ${pairs.length} && kCompositionPairs[lo] == key;
}

uint32_t code_point_properties(uint32_t cp) {
  if (cp >= 0x110000) return 0;
  size_t lo = 0;
  size_t hi = ${starts.length};
  while (hi - lo > 1) {  // kStarts[lo] <= cp < kStarts[hi]
    size_t mid = lo + (hi - lo) / 2;
    if (kStarts[mid] <= cp) lo = mid; else hi = mid;
  }
  return kValues[lo];
}

}  // namespace hotpath::schema::internal::idn
`;
fs.mkdirSync(path.dirname(out), { recursive: true });
const tmp = out + '.tmp';
fs.writeFileSync(tmp, text);
fs.renameSync(tmp, out);
console.log(`idna_tables: ${starts.length} ranges, ${pairs.length} composition pairs`);
