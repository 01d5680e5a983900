import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDateTime, parseDateTime } from '../../../src/core/codecs/datetime.js';

const now = Date.UTC(2026, 5, 15, 12);

test('RFC 3339 date-times with Z, offsets and fractions parse to epoch ms', () => {
  assert.equal(parseDateTime('2001-10-27T16:49:29Z', { now }), Date.UTC(2001, 9, 27, 16, 49, 29));
  assert.equal(parseDateTime('2000-12-13T13:40:00-08:00', { now }), Date.UTC(2000, 11, 13, 21, 40));
  assert.equal(parseDateTime('2005-05-30T12:00:00.5+05:30', { now }), Date.UTC(2005, 4, 30, 6, 30, 0, 500));
  assert.equal(parseDateTime(' 2024-02-29t00:00:00z ', { now }), Date.UTC(2024, 1, 29));
});

test('malformed or impossible date-times are undefined, never an error', () => {
  for (const bad of ['', 'now', '2001-10-27', '2001-10-27T16:49Z', '2023-02-29T00:00:00Z', '2001-00-10T00:00:00Z',
    '2001-10-32T00:00:00Z', '2001-10-27T24:00:00Z', '2001-10-27T16:60:00Z', '2001-10-27T16:49:61Z',
    '2001-10-27T16:49:29+24:00', '0099-01-01T00:00:00Z', '2001-10-27T16:49:29', '+02001-10-27T16:49:29Z']) {
    assert.equal(parseDateTime(bad, { now }), undefined, bad);
  }
});

test('a time more than a day ahead of the receiver clock is distrusted', () => {
  assert.equal(parseDateTime('2026-06-16T11:00:00Z', { now }), Date.UTC(2026, 5, 16, 11));
  assert.equal(parseDateTime('2026-06-16T12:00:01Z', { now }), undefined);
  assert.equal(parseDateTime('2026-06-16T12:00:01Z', { now, maxSkewMs: 2 * 86_400_000 }), Date.UTC(2026, 5, 16, 12, 0, 1));
});

test('formatDateTime writes UTC and round-trips through parseDateTime', () => {
  assert.equal(formatDateTime(Date.UTC(2001, 9, 27, 16, 49, 29)), '2001-10-27T16:49:29Z');
  assert.equal(formatDateTime(Date.UTC(2001, 9, 27, 16, 49, 29, 7)), '2001-10-27T16:49:29.007Z');
  for (const ms of [0, 976743600250, now]) assert.equal(parseDateTime(formatDateTime(ms), { now }), ms);
});
