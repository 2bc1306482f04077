/**
 * Calls `measure` now, on each scroll of `pane` and whenever it resizes (the windowed views,
 * Timeline and Zab table, draw only what is near the pane's viewport); returns the way to stop.
 */
export function watchPane(pane: HTMLElement, measure: () => void): () => void {
  measure();
  pane.addEventListener('scroll', measure, { passive: true });
  const ro = new ResizeObserver(measure);
  ro.observe(pane);
  return () => {
    pane.removeEventListener('scroll', measure);
    ro.disconnect();
  };
}
