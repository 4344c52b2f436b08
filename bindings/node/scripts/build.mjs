#!/usr/bin/env node
// `npm run build` / `npm rebuild hotpath`: builds hotpath.node with cmake-js from the
// repository's root CMake tree (the same build as `make build`), only the addon target, into
// build/cmake-js; the root CMake writes the addon to build/Release/hotpath.node.
//
// cmake-js would download Node headers for a non-Node-API project root; Node's own headers
// are used instead when the running Node has them (<prefix>/include/node), as Debian and
// nodesource packages and the official tarballs do.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = resolve(here, '..');
const repoRoot = resolve(packageRoot, '..', '..');
if (!existsSync(join(repoRoot, 'core', 'CMakeLists.txt'))) {
  console.error(`hotpath: the C++ sources are not next to this package (expected ${repoRoot}/core).\n` +
    'Build from a Hotpath checkout: `make build` at its root, or `npm run build` in bindings/node.');
  process.exit(1);
}

const env = { ...process.env };
const prefix = resolve(dirname(process.execPath), '..');
if (!env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) {
  env.npm_config_nodedir = prefix;
}

const require = createRequire(import.meta.url);
const cmakeJs = join(dirname(require.resolve('cmake-js/package.json')), 'bin', 'cmake-js');
const args = [
  cmakeJs, 'build',
  '--directory', repoRoot,
  '--out', join(packageRoot, 'build', 'cmake-js'),
  '--target', 'hotpath_node',
  '--config', 'Release',
  '--parallel', process.env.HOTPATH_JOBS || '2',
  '--CDHOTPATH_BUILD_TESTS=OFF',
  '--CDHOTPATH_BUILD_BENCH=OFF',
  '--CDHOTPATH_BUILD_NODE=ON',
  '--CDHOTPATH_WERROR=OFF',
  ...process.argv.slice(2),
];
const r = spawnSync(process.execPath, args, { stdio: 'inherit', env, cwd: packageRoot });
process.exit(r.status ?? 1);
