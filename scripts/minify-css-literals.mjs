// Rollup plugin: minifies the CSS inside Lit's css`…` tagged templates of our own sources
// (terser leaves template text alone). Whitespace and comments only; quoted strings are kept
// byte for byte, and a template with a ${…} interpolation is left as it is.

/** Minifies one CSS text: comments out, whitespace runs → one space, none around { } ; , > or after :. */
export function minifyCssText(css) {
  let out = '';
  for (let i = 0; i < css.length;) {
    const c = css[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < css.length && css[j] !== c) j += css[j] === '\\' ? 2 : 1;
      out += css.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && css[i + 1] === '*') {
      const end = css.indexOf('*/', i + 2);
      i = end < 0 ? css.length : end + 2;
      if (!out.endsWith(' ')) out += ' ';
    } else if (/\s/.test(c)) {
      while (i < css.length && /\s/.test(css[i])) i++;
      if (!out.endsWith(' ')) out += ' ';
    } else {
      out += c;
      i++;
    }
  }
  // Spaces next to punctuation that never needs them (strings were copied whole, but a string
  // cannot contain an unescaped quote, so the split below keeps them intact).
  return out.split(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/).map((part, k) => (k % 2 ? part : part
    .replace(/ ?([{};,>]) ?/g, '$1')
    .replace(/: /g, ':')
    .replace(/;}/g, '}'))).join('').trim();
}

/** Replaces the text of every interpolation-free css`…` template in `code`. */
export function minifyCssLiterals(code) {
  let changed = false;
  const result = code.replace(/\bcss`((?:[^`\\]|\\.)*)`/g, (whole, body) => {
    if (body.includes('${')) return whole;
    changed = true;
    return `css\`${minifyCssText(body)}\``;
  });
  return changed ? result : null;
}

export function minifyCss({ include = /\/src\/components\/.*\.ts$/ } = {}) {
  return {
    name: 'minify-css-literals',
    transform(code, id) {
      if (!include.test(id)) return null;
      const out = minifyCssLiterals(code);
      return out === null ? null : { code: out, map: null };
    },
  };
}
