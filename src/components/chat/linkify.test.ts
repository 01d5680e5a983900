import { expect } from '@open-wc/testing';
import { allowedHref, linkify } from './linkify.js';

describe('linkify (allowlisted links)', () => {
  it('links http, https, xmpp and mailto URLs and keeps the text around them', () => {
    expect(linkify('see https://example.com/a?b=1, then mail mailto:bob@example.com.')).to.deep.equal([
      'see ',
      { href: 'https://example.com/a?b=1', text: 'https://example.com/a?b=1' },
      ', then mail ',
      { href: 'mailto:bob@example.com', text: 'mailto:bob@example.com' },
      '.',
    ]);
    expect(linkify('xmpp:bob@example.com')).to.deep.equal([{ href: 'xmpp:bob@example.com', text: 'xmpp:bob@example.com' }]);
  });

  it('leaves javascript:, data:, vbscript: and file: as text (#40)', () => {
    for (const text of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', 'file:///etc/passwd']) {
      expect(linkify(text).every((p) => typeof p === 'string'), text).to.be.true;
      expect(linkify(text).join('')).to.equal(text);
    }
  });

  it('does not let a link swallow closing punctuation or a parenthesis around it', () => {
    expect(linkify('(https://example.com/x)')).to.deep.equal(['(', { href: 'https://example.com/x', text: 'https://example.com/x' }, ')']);
    expect(linkify('https://en.wikipedia.org/wiki/Foo_(bar)')[0]).to.deep.equal({
      href: 'https://en.wikipedia.org/wiki/Foo_(bar)',
      text: 'https://en.wikipedia.org/wiki/Foo_(bar)',
    });
  });

  it('stops a link at markup characters, so an xmpp: query cannot carry markup (#1)', () => {
    const parts = linkify('xmpp:a@b?message;body=<script>');
    expect(parts.at(-1)).to.equal('<script>');
  });

  it('refuses URLs the parser rejects or that have no host', () => {
    expect(allowedHref('https://')).to.be.undefined;
    expect(allowedHref('https://exa[mple.com')).to.be.undefined;
    expect(allowedHref('https:example.com')).to.equal('https://example.com/'); // the URL parser normalises
  });
});
