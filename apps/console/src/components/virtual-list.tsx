import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * Renders only the rows in view (plus a margin), so 10,000 rows cost as much as 30. Rows have a
 * fixed height; the list is a scroll container that keeps the page itself short. `onNearEnd`
 * fires when the last rows come into view (to load the next page).
 */
export function VirtualList(props: {
  count: number;
  rowHeight: number;
  label: string;
  renderRow(index: number): ComponentChildren;
  rowKey(index: number): string;
  onNearEnd?(): void;
}) {
  const { count, rowHeight, label, renderRow, rowKey, onNearEnd } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const frame = useRef(0);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight || 600);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const onScroll = () => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      if (ref.current) setScrollTop(ref.current.scrollTop);
    });
  };

  const overscan = 8;
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + overscan);

  useEffect(() => {
    if (onNearEnd && count > 0 && last >= count - overscan) onNearEnd();
  }, [last, count, onNearEnd]);

  const rows: ComponentChildren[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <li key={rowKey(i)} class="vrow" style={{ transform: `translateY(${i * rowHeight}px)`, height: `${rowHeight}px` }} aria-posinset={i + 1} aria-setsize={count}>
        {renderRow(i)}
      </li>,
    );
  }
  return (
    // Focusable, so Page Down / arrows scroll it from the keyboard; tabbing from row to row scrolls
    // the next (already rendered) row into view, which renders the ones after it.
    <div class="vlist" ref={ref} onScroll={onScroll} data-testid="operations-scroller" role="region" aria-label={`${label} (scrollable)`} tabIndex={0}>
      <ul class="vlist-inner" aria-label={label} style={{ height: `${count * rowHeight}px` }}>
        {rows}
      </ul>
    </div>
  );
}
