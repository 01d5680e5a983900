// One strings table for every element (src/components/strings.ts): setStrings reaches the
// tables of elements loaded on use, merges record entries, and cannot touch prototypes.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { defaultStrings, resetStrings, setStrings, strings, stringsFor } from '../../src/components/strings.js';
import { presenceStrings } from '../../src/components/presence/presence.strings.js';
import { signInStrings } from '../../src/components/sign-in/sign-in.strings.js';

describe('strings table', () => {
  afterEach(() => resetStrings());

  it('one setStrings call sets shared keys and the keys of elements loaded later', () => {
    setStrings({ send: 'Senden', signInButton: 'Anmelden', chat: 'Chatten' });
    assert.equal(strings().send, 'Senden');
    assert.equal(signInStrings().signInButton, 'Anmelden');
    assert.equal(presenceStrings().chat, 'Chatten');
    assert.equal(presenceStrings().live, 'Live', 'other keys keep their defaults');
  });

  it('merges single entries of record-valued keys across calls', () => {
    setStrings({ availability: { away: 'Abwesend' } });
    setStrings({ availability: { busy: 'Beschäftigt' } });
    assert.deepEqual(strings().availability, { ...defaultStrings.availability, away: 'Abwesend', busy: 'Beschäftigt' });
  });

  it('resetStrings restores the defaults everywhere; reads are cached until the next change', () => {
    setStrings({ send: 'Senden', signInButton: 'Anmelden' });
    assert.equal(strings(), strings(), 'same table object between changes');
    resetStrings();
    assert.equal(strings().send, 'Send');
    assert.equal(signInStrings().signInButton, 'Sign in');
  });

  it('prototype keys and unknown keys never reach a table or Object.prototype', () => {
    setStrings(JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": "x", "nope": "y"}'));
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    const t = strings() as unknown as Record<string, unknown>;
    assert.equal(Object.hasOwn(t, 'nope'), false);
    assert.equal(Object.hasOwn(t, 'constructor'), false);
    assert.equal(stringsFor({ a: 'A' }).a, 'A');
  });
});
