// The build's minifier of Lit template text (scripts/minify-css-literals.mjs): css`…` loses
// whitespace, comments and redundant characters, html`…` line-break indentation; never a change of meaning.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
// @ts-expect-error plain ESM script without types
import { minifyCssLiterals, minifyCssText, minifyHtmlLiterals } from '../../scripts/minify-css-literals.mjs';

const min = minifyCssText as (css: string) => string;
const lit = minifyCssLiterals as (code: string) => string | null;
const html = minifyHtmlLiterals as (code: string) => string | null;

describe('css`…` minifier', () => {
  it('drops comments and whitespace around punctuation', () => {
    assert.equal(min(`
      :host { display: block; }  /* a comment */
      .a > .b , .c { color: red ; }
      @media (prefers-color-scheme: dark) { :host { --x: 1 } }
    `), ':host{display:block}.a>.b,.c{color:red}@media (prefers-color-scheme:dark){:host{--x:1}}');
  });

  it('keeps the spaces that carry meaning: descendant combinators, calc operators, value lists', () => {
    assert.equal(min('.a :hover { margin: calc(1px + 2px) 0 }'), '.a :hover{margin:calc(1px + 2px) 0}');
    assert.equal(min('.a   .b{}'), '.a .b{}');
  });

  it('copies quoted strings byte for byte (spaces, punctuation, escaped quotes)', () => {
    assert.equal(min(`.x { content: ' a  ; { } , b '; font-family: "A  B", serif }`),
      `.x{content:' a  ; { } , b ';font-family:"A  B",serif}`);
    assert.equal(min(String.raw`.x { content: 'it\'s  here' }`), String.raw`.x{content:'it\'s  here'}`);
  });

  it('rewrites only interpolation-free css templates, and says when nothing changed', () => {
    const code = 'const a = css`\n  :host { display: block; }\n`;\nconst b = css`:host { color: ${c}; }`;\nconst t = html`<p> x </p>`;';
    assert.equal(lit(code), 'const a = css`:host{display:block}`;\nconst b = css`:host { color: ${c}; }`;\nconst t = html`<p> x </p>`;');
    assert.equal(lit('const t = html`<p> x </p>`;'), null);
  });

  it('drops a leading 0, the space before !important, and quotes around identifier attribute values', () => {
    assert.equal(min(`:host([theme='dark']) { opacity: 0.7; margin: -0.5em 10.5px 0.25em; display: none !important }`),
      ':host([theme=dark]){opacity:.7;margin:-0.5em 10.5px .25em;display:none!important}');
    assert.equal(min(`[x='1a'], [y="a b"] { content: '[a=\\'b\\']' }`), `[x='1a'],[y="a b"]{content:'[a=\\'b\\']'}`);
  });
});

describe('html`…` minifier', () => {
  it('turns line-break indentation into one space, or nothing before the > of a tag', () => {
    const code = 'const t = html`<p\n   class="a"\n  >\n  x ${y ? html`<b\n>q</b>` : nothing}\n  <i>${z}</i\n  ></p>`;';
    assert.equal(html(code), 'const t = html`<p class="a"> x ${y ? html`<b>q</b>` : nothing} <i>${z}</i></p>`;');
  });

  it('keeps spaces without a line break, other templates, and says when nothing changed', () => {
    assert.equal(html('const t = html`<b>a</b> <i>b</i>`; const s = `a\n  b`; const c = svg`<g\n/>`;'),
      'const t = html`<b>a</b> <i>b</i>`; const s = `a\n  b`; const c = svg`<g/>`;');
    assert.equal(html('const t = html`<p> x </p>`;'), null);
  });
});
