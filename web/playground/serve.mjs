// Serves the playground on 127.0.0.1: web/playground/ at / and the @hotpath/wasm package
// (bindings/wasm/) at /wasm/, with the Content-Security-Policy the page is written for.
//   node web/playground/serve.mjs [--port N]     (make run-playground; default port 8787, 0 = any)
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = resolve(fileURLToPath(new URL('.', import.meta.url)));
const WASM = resolve(HERE, '../../bindings/wasm');
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:";
const TYPES = { '.html': 'text/html; charset=utf-8', '.mjs': 'text/javascript', '.js': 'text/javascript',
  '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm', '.png': 'image/png' };

function fileFor(urlPath) {
  const [base, rest] = urlPath.startsWith('/wasm/') ? [WASM, urlPath.slice(5)] : [HERE, urlPath];
  if (urlPath.startsWith('/wasm/') && !/^\/(lib|dist)\//.test(rest)) return null;
  const file = normalize(join(base, rest.endsWith('/') ? `${rest}index.html` : rest));
  return file.startsWith(base + sep) ? file : null;
}

export function startPlayground(port = 8787) {
  const server = createServer((req, res) => {
    let file = null;
    let st = null;
    try {
      file = fileFor(decodeURIComponent(new URL(req.url, 'http://x').pathname));
      st = file && statSync(file);
    } catch {
      st = null;
    }
    if (!st || !st.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'content-length': st.size,
      'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok({
      url: `http://127.0.0.1:${server.address().port}/`,
      close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
    }));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : Number(process.env.PORT || 8787);
  const { url } = await startPlayground(port);
  console.log(`Hotpath playground: ${url}  (Ctrl-C to stop)`);
}
