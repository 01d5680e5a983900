// The floor to beat: a plain, non-virtualised list. Every contact is a DOM row, built with
// innerHTML-free DOM calls; a presence change rewrites that row's text in place.
import { drive, nextPaint, recordFrames } from './frames.js';

const AV = ['available', 'away', 'busy'];
let rows: HTMLElement[] = [];

function render(n: number): HTMLElement {
  const ul = document.createElement('ul');
  ul.style.cssText = 'height:28rem;overflow:auto;margin:0;padding:0;list-style:none;font:14px system-ui';
  rows = [];
  for (let i = 0; i < n; i++) {
    const li = document.createElement('li');
    li.style.cssText = 'display:flex;gap:8px;padding:4px 8px';
    const dot = document.createElement('span'); dot.textContent = '●';
    const name = document.createElement('span'); name.textContent = `User ${i}`;
    const note = document.createElement('span'); note.textContent = `${AV[i % 3]} · note ${i}`;
    li.append(dot, name, note);
    ul.append(li);
    rows.push(li);
  }
  return ul;
}

const api = {
  async firstPaint(n: number) {
    document.body.replaceChildren();
    await nextPaint();
    const t0 = performance.now();
    document.body.append(render(n));
    const t1 = await nextPaint();
    return t1 - t0;
  },
  async presenceStorm(n: number, perSecond: number, seconds: number) {
    document.body.replaceChildren(render(n));
    await nextPaint();
    const rec = recordFrames();
    await drive(perSecond, seconds, (k) => {
      const i = (k * 7919) % n;
      (rows[i]?.lastChild as HTMLElement).textContent = `${AV[k % 3]} · change ${k}`;
    });
    await nextPaint();
    return rec.stop();
  },
  async inbox(n: number, batch: number) {
    const log = document.createElement('div');
    log.style.cssText = 'height:28rem;overflow:auto;font:14px system-ui';
    document.body.replaceChildren(log);
    await nextPaint();
    const t0 = performance.now();
    for (let i = 0; i < n; i += batch) {
      for (let j = i; j < Math.min(n, i + batch); j++) {
        const p = document.createElement('p'); p.textContent = `message ${j}`; log.append(p);
      }
      log.scrollTop = log.scrollHeight;
      await new Promise((r) => setTimeout(r, 0));
    }
    const t1 = await nextPaint();
    return { ms: t1 - t0, rendered: log.childElementCount };
  },
};
(globalThis as unknown as { ui: typeof api }).ui = api;
