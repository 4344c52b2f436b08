'use strict';
// Loads hotpath.node, the compiled addon. Where it is looked for, in order:
//   1. $HOTPATH_NATIVE_PATH (tests point this at the build being tested)
//   2. <package>/build/Release/hotpath.node  (where `make build` and `npm run build` write it)
//   3. <package>/build/Debug/hotpath.node
// When none loads, the error says why (each path's dlopen message) and what to do.
const fs = require('node:fs');
const path = require('node:path');

const packageRoot = path.join(__dirname, '..');

function candidates() {
  if (process.env.HOTPATH_NATIVE_PATH) return [path.resolve(process.env.HOTPATH_NATIVE_PATH)];
  return [
    path.join(packageRoot, 'build', 'Release', 'hotpath.node'),
    path.join(packageRoot, 'build', 'Debug', 'hotpath.node'),
  ];
}

function load() {
  const tried = [];
  for (const file of candidates()) {
    if (!fs.existsSync(file)) {
      tried.push(`  ${file}: not found`);
      continue;
    }
    try {
      return require(file);
    } catch (err) {
      tried.push(`  ${file}: ${err.message.split('\n')[0]}`);
    }
  }
  const err = new Error(
    'hotpath: could not load the native addon (hotpath.node).\n' +
      `Tried:\n${tried.join('\n')}\n` +
      'What to do:\n' +
      '  - in a Hotpath checkout: run `make build` at the repository root;\n' +
      '  - as an installed package: run `npm rebuild hotpath` (needs cmake, a C++20 compiler and\n' +
      '    the Node headers; see node_modules/hotpath/README.md).\n' +
      `Platform: ${process.platform}-${process.arch}, Node ${process.version} (Node-API ${process.versions.napi}).`,
  );
  err.code = 'HOTPATH_NATIVE_LOAD_FAILED';
  throw err;
}

module.exports = load();
