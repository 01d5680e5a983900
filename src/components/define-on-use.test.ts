import { expect } from '@open-wc/testing';
import { defineOnUse } from './define-on-use.js';
import { captureWarnings, eventually } from './test-support.js';

let n = 0;
/** A fresh tag per test (a tag can be defined only once per page). */
const tag = () => `x-lazy-${++n}-${Math.random().toString(36).slice(2, 7)}`;
const frame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));

/** A loader that defines `name` (as the real define modules do) and counts its calls. */
function loader(name: string) {
  const calls = { n: 0 };
  const load = async () => {
    calls.n++;
    customElements.define(name, class extends HTMLElement {});
  };
  return { calls, load };
}

describe('defineOnUse', () => {
  const cleanup: Element[] = [];
  afterEach(() => cleanup.splice(0).forEach((e) => e.remove()));
  /** Attaches a <div> holding `tags`, each nested in the previous when `nested`. */
  const attach = (tags: string[], nested = false) => {
    const host = document.createElement('div');
    let parent: Element = host;
    for (const t of tags) {
      const el = document.createElement(t);
      parent.append(el);
      if (nested) parent = el;
    }
    document.body.append(host);
    cleanup.push(host);
    return host;
  };

  it('loads a tag that is already in the document, once', async () => {
    const t = tag();
    attach([t, t]);
    const l = loader(t);
    defineOnUse({ [t]: l.load });
    await customElements.whenDefined(t);
    expect(l.calls.n).to.equal(1);
    attach([t]);
    await frame();
    expect(l.calls.n).to.equal(1);
  });

  it('loads nothing until an element with the tag is attached, then loads it (nested in an added subtree too)', async () => {
    const used = tag();
    const unused = tag();
    const a = loader(used);
    const b = loader(unused);
    defineOnUse({ [used]: a.load, [unused]: b.load });
    await frame();
    expect(a.calls.n + b.calls.n).to.equal(0);
    const detached = document.createElement(used);
    await frame();
    expect(a.calls.n, 'a detached element does not count').to.equal(0);
    attach(['section', 'p', used], true);
    await customElements.whenDefined(used);
    expect(a.calls.n).to.equal(1);
    expect(b.calls.n).to.equal(0);
    expect(detached).to.be.instanceOf(HTMLElement);
  });

  it('skips tags that are already defined', async () => {
    const t = tag();
    customElements.define(t, class extends HTMLElement {});
    let called = 0;
    defineOnUse({ [t]: async () => void called++ });
    attach([t]);
    await frame();
    expect(called).to.equal(0);
  });

  it('a loader that fails is reported once as component/load-failed, and nothing throws', async () => {
    const t = tag();
    const warnings = captureWarnings();
    try {
      defineOnUse({ [t]: () => Promise.reject(new Error('offline')) });
      attach([t]);
      await eventually(() => warnings.messages.some((m) => m.includes(`component/load-failed: <${t}> could not be loaded`)), 'a warning');
      expect(warnings.messages.filter((m) => m.includes(t))).to.have.length(1);
    } finally {
      warnings.restore();
    }
  });
});
