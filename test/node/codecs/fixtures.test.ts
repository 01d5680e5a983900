// Golden fixtures (test/fixtures/{pidf,cpim}): each document has a JSON twin of its parsed
// model. Both directions: parse(document) equals the twin, and parse(serialize(twin)) too.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseCpim, serializeCpim } from '../../../src/core/codecs/cpim.js';
import { parsePidf, parsePidfDocument, serializePidf } from '../../../src/core/codecs/pidf.js';
import { cpimFromJson, presenceFromJson, toJson } from './model-json.js';

const dir = (kind: string) => new URL(`../../fixtures/${kind}/`, import.meta.url);
const read = (kind: string, file: string) => readFileSync(new URL(file, dir(kind)), 'utf8');
const cases = (kind: string, ext: string) =>
  readdirSync(dir(kind)).filter((f) => f.endsWith(ext)).map((f) => f.slice(0, -ext.length));

describe('PIDF golden fixtures', () => {
  const names = cases('pidf', '.xml');
  test('there are PIDF fixtures, each with a JSON twin', () => {
    assert.ok(names.length >= 5);
    for (const n of names) assert.doesNotThrow(() => read('pidf', `${n}.json`), `${n}.json is missing`);
  });
  for (const name of names) {
    test(`${name}: parse(xml) equals the JSON twin, extensions included`, () => {
      const twin = JSON.parse(read('pidf', `${name}.json`));
      const doc = parsePidfDocument(read('pidf', `${name}.xml`));
      assert.deepEqual(toJson(doc.presence), twin.presence);
      assert.deepEqual(doc.extensions.map((e) => ({ ns: e.ns, name: e.name })), twin.extensions);
    });
    test(`${name}: parse(serialize(model)) equals the model`, () => {
      const twin = JSON.parse(read('pidf', `${name}.json`));
      const model = presenceFromJson(twin.presence);
      assert.deepEqual(toJson(model), twin.presence, 'the twin availability is the derived one');
      assert.deepEqual(toJson(parsePidf(serializePidf(model))), twin.presence);
    });
  }
});

describe('CPIM golden fixtures', () => {
  const names = cases('cpim', '.txt');
  test('there are CPIM fixtures, each with a JSON twin', () => {
    assert.ok(names.length >= 3);
    for (const n of names) assert.doesNotThrow(() => read('cpim', `${n}.json`), `${n}.json is missing`);
  });
  for (const name of names) {
    test(`${name}: parse(text) equals the JSON twin`, () => {
      assert.deepEqual(toJson(parseCpim(read('cpim', `${name}.txt`))), JSON.parse(read('cpim', `${name}.json`)));
    });
    test(`${name}: parse(serialize(model)) equals the model, with and without outer MIME headers`, () => {
      const twin = JSON.parse(read('cpim', `${name}.json`));
      const model = cpimFromJson(twin);
      assert.deepEqual(toJson(parseCpim(serializeCpim(model))), twin);
      assert.deepEqual(toJson(parseCpim(serializeCpim(model, { mimeHeaders: true }))), twin);
    });
  }
});
