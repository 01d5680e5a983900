// Main-thread measurement helpers: next-paint timing, rAF frame intervals and long tasks.

/** Resolves after the next frame was produced (rAF, then a task after it: paint happened). */
export function nextPaint(): Promise<number> {
  return new Promise((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0)));
}

/** Records rAF intervals and long tasks until `stop()`. */
export function recordFrames() {
  const frames: number[] = [];
  const longTasks: number[] = [];
  let last = performance.now();
  let on = true;
  const tick = (t: number) => { frames.push(t - last); last = t; if (on) requestAnimationFrame(tick); };
  requestAnimationFrame((t) => { last = t; requestAnimationFrame(tick); });
  const po = new PerformanceObserver((l) => l.getEntries().forEach((e) => longTasks.push(e.duration)));
  po.observe({ type: 'longtask', buffered: false });
  return {
    stop() { on = false; po.disconnect(); return { frames, longTasks }; },
  };
}

/** Calls `apply(k)` for `perSecond` changes per second for `seconds`, in 10 ms ticks. */
export function drive(perSecond: number, seconds: number, apply: (k: number) => void): Promise<number> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let done = 0;
    const total = perSecond * seconds;
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * perSecond));
      while (done < due) apply(done++);
      if (done >= total) { clearInterval(timer); resolve(done); }
    }, 10);
  });
}
