import { useEffect, useRef, useState } from 'react';

/**
 * The views that list the run's history (the timeline's arrows, the Zab table) are drawn again
 * at most this often (ms). Under a stream of writes the view model changes every frame and each
 * redraw lays out hundreds of arrows or rows; a change after a quiet spell (a lockstep step, a
 * console command) is drawn at once (bench/README.md, fix 27).
 */
export const historyRedrawMs = 100;

/**
 * `value`, passed on at most once per `ms`: a change within `ms` of the last one passed on waits
 * until then, and the newest value at that moment is what is passed on (none is skipped for
 * good: the last one always shows).
 */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(Number.NEGATIVE_INFINITY);
  const latest = useRef(value);
  latest.current = value;
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = last.current + ms - performance.now();
    if (wait <= 0) {
      last.current = performance.now();
      setShown(value);
      return;
    }
    const timer = setTimeout(() => {
      last.current = performance.now();
      setShown(latest.current);
    }, wait);
    return () => clearTimeout(timer);
  }, [value, shown, ms]);
  return Object.is(value, shown) || last.current + ms <= performance.now() ? value : shown;
}
