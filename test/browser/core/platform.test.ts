// The core runs in a real browser with only platform APIs (no Node-isms): these run in Chromium.
import { expect } from '@open-wc/testing';
import { firstValueFrom, filter } from 'rxjs';
import { parseAddress, sameAddress } from '../../../src/core/address.js';
import { newMessageId } from '../../../src/core/message.js';

describe('core in Chromium', () => {
  it('normalises addresses the same way as in Node (NFC, case folding, IDN labels)', () => {
    expect(parseAddress('xmpp:Ålice@Exämple.COM/Phone').toString()).to.equal('xmpp:ålice@exämple.com/Phone');
    expect(sameAddress('Alice@Example.COM', 'pres:alice@example.com')).to.equal(true);
  });

  it('makes unique URL-safe message ids with the platform crypto', () => {
    const ids = new Set(Array.from({ length: 1000 }, newMessageId));
    expect(ids.size).to.equal(1000);
    for (const id of ids) expect(id).to.match(/^[A-Za-z0-9_-]{21}$/);
  });

  it('loads rxjs as ES modules in the page', async () => {
    const { of } = await import('rxjs');
    expect(await firstValueFrom(of(1, 2, 3).pipe(filter((n) => n > 1)))).to.equal(2);
  });
});
