// A small JSON reader that remembers where each value sits in the text, so the conformance
// runner can hand the engine the suite's own bytes: JSON.parse would round big numbers
// (optional/bignum) before they reach the engine.
//   parseWithSource(text) -> node: {type, start, end, value?, items?, members?}
export function parseWithSource(text) {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const fail = (what) => {
    throw new SyntaxError(`${what} at offset ${i}`);
  };
  function value() {
    ws();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const members = new Map();
      ws();
      if (text[i] === '}') {
        i++;
        return { type: 'object', start, end: i, members };
      }
      for (;;) {
        ws();
        const key = value();
        if (key.type !== 'string') fail('expected a string key');
        ws();
        if (text[i++] !== ':') fail("expected ':'");
        members.set(key.value, value());
        ws();
        const sep = text[i++];
        if (sep === '}') return { type: 'object', start, end: i, members };
        if (sep !== ',') fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const items = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { type: 'array', start, end: i, items };
      }
      for (;;) {
        items.push(value());
        ws();
        const sep = text[i++];
        if (sep === ']') return { type: 'array', start, end: i, items };
        if (sep !== ',') fail("expected ',' or ']'");
      }
    }
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      if (i >= text.length) fail('unterminated string');
      i++;
      return { type: 'string', start, end: i, value: JSON.parse(text.slice(start, i)) };
    }
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 512));
    if (!m) fail('unexpected character');
    i += m[0].length;
    return { type: 'scalar', start, end: i, value: JSON.parse(m[0]) };
  }
  const root = value();
  ws();
  if (i !== text.length) fail('trailing characters');
  return root;
}

export const sourceOf = (text, node) => text.slice(node.start, node.end);
