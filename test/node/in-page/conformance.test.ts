// The conformance suite against the in-page transport, under node:test.
import { test } from 'node:test';
import { conformanceCases } from '../../conformance/index.js';
import { inPageFactory } from '../../conformance/in-page.js';

for (const c of conformanceCases(inPageFactory())) test(c.name, { skip: c.skip }, c.run);
