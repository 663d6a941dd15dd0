import { useCallback, useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';

interface Pages {
  key: string;
  page: number;
  /** cursors[p] fetches page p; each answer hands out the cursor of the page after it. */
  cursors: Array<string | undefined>;
}

/**
 * One page at a time of a list the backend pages with opaque cursors. `key` names everything but
 * the cursor (filters, order, page size): when it changes, paging starts again at the first page.
 * Pages already visited can be returned to; the next one once its cursor is known.
 */
export function useCursorPages<T extends { nextCursor?: string }>(
  load: (cursor: string | undefined) => Promise<T>,
  key: string,
) {
  const [pages, setPages] = useState<Pages>({
    key,
    page: 0,
    cursors: [undefined],
  });
  const current: Pages =
    pages.key === key ? pages : { key, page: 0, cursors: [undefined] };
  if (current !== pages) setPages(current);
  const cursor = current.cursors[current.page];
  const result = useAsyncRetry(() => load(cursor), [key, current.page, cursor]);

  // Keyed on the answer, not its cursor: a new list may hand out the same cursor string.
  const answer = result.value;
  useEffect(() => {
    const next = answer?.nextCursor;
    setPages(p => {
      if (!next || p.cursors[p.page + 1] === next) return p;
      return { ...p, cursors: [...p.cursors.slice(0, p.page + 1), next] };
    });
  }, [answer]);

  // Stable, so that a memoised pager keeps its props.
  const goTo = useCallback(
    (page: number) =>
      setPages(p =>
        page >= 0 && page < p.cursors.length && page !== p.page
          ? { ...p, page }
          : p,
      ),
    [],
  );

  return {
    ...result,
    page: current.page,
    /** Goes to an already known page: a visited one or the one after the current. */
    goTo,
  };
}
