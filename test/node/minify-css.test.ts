// The build's css`…` minifier (scripts/minify-css-literals.mjs): whitespace and comments only,
// never a change of meaning.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
// @ts-expect-error plain ESM script without types
import { minifyCssLiterals, minifyCssText } from '../../scripts/minify-css-literals.mjs';

const min = minifyCssText as (css: string) => string;
const lit = minifyCssLiterals as (code: string) => string | null;

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
});
