// Node has no window events: tests of the browser's `online` wake-up give globalThis an
// EventTarget's addEventListener/removeEventListener for their duration.
export function windowEvents(): { target: EventTarget; restore: () => void } {
  const target = new EventTarget();
  const g = globalThis as unknown as { addEventListener?: unknown; removeEventListener?: unknown };
  const saved = [g.addEventListener, g.removeEventListener];
  g.addEventListener = target.addEventListener.bind(target);
  g.removeEventListener = target.removeEventListener.bind(target);
  return { target, restore: () => void ([g.addEventListener, g.removeEventListener] = saved) };
}
