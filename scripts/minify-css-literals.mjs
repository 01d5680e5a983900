// Rollup plugin: minifies the literal text of Lit templates in our own sources (terser leaves
// template text alone). css`…` templates: whitespace and comments only; quoted strings are kept
// byte for byte, and a template with a ${…} interpolation is left as it is. html`…` and svg`…`
// templates: each whitespace run that holds a line break becomes one space, or nothing before
// the `>` of a tag — what the browser renders is the same, since a template never relies on
// line breaks inside a `white-space: pre` element.
import ts from 'typescript';

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
  // Spaces next to punctuation that never needs them, a leading 0 of a fraction (0.5em → .5em),
  // the space before !important (strings were copied whole, but a string cannot contain an
  // unescaped quote, so the split below keeps them intact).
  const parts = out.split(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/).map((part, k) => (k % 2 ? part : part
    .replace(/ ?([{};,>]) ?/g, '$1')
    .replace(/: /g, ':')
    .replace(/;}/g, '}')
    .replace(/(^|[^\w.#-])0\.(\d)/g, '$1.$2')
    .replace(/ !important/g, '!important')));
  // An attribute selector's quoted value that is an identifier needs no quotes: [part='x'] → [part=x].
  for (let k = 1; k < parts.length; k += 2) {
    if (/\[[\w-]+[~|^$*]?=$/.test(parts[k - 1]) && parts[k + 1].startsWith(']') && /^(['"])[a-zA-Z_][\w-]*\1$/.test(parts[k])) {
      parts[k] = parts[k].slice(1, -1);
    }
  }
  return parts.join('').trim();
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

/**
 * Collapses line-break whitespace in the static text of every html`…` and svg`…` template of a
 * TypeScript module (found by parsing, so nested templates and `${…}` expressions are safe).
 * Returns null when nothing changed.
 */
export function minifyHtmlLiterals(code, fileName = 'module.ts') {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const edits = [];
  const visit = (node) => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && (node.tag.text === 'html' || node.tag.text === 'svg')) {
      const t = node.template;
      for (const part of ts.isNoSubstitutionTemplateLiteral(t) ? [t] : [t.head, ...t.templateSpans.map((s) => s.literal)]) {
        // The text between the delimiters: ` or } before it, ` or ${ after it.
        const start = part.getStart(source) + 1;
        const end = part.getEnd() - (part.kind === ts.SyntaxKind.TemplateHead || part.kind === ts.SyntaxKind.TemplateMiddle ? 2 : 1);
        const text = code.slice(start, end);
        const out = text.replace(/\s*\n\s*/g, (run, at) => (text[at + run.length] === '>' || text.startsWith('/>', at + run.length) ? '' : ' '));
        if (out !== text) edits.push([start, end, out]);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (edits.length === 0) return null;
  let out = code;
  for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + text + out.slice(end);
  return out;
}

export function minifyCss({ include = /\/src\/components\/.*\.ts$/ } = {}) {
  return {
    name: 'minify-lit-literals',
    transform(code, id) {
      if (!include.test(id)) return null;
      const css = minifyCssLiterals(code);
      const out = minifyHtmlLiterals(css ?? code, id) ?? css;
      return out === null ? null : { code: out, map: null };
    },
  };
}
