// The outcomes of actions, kept per row (or per page, under one key): a refusal stays until it is
// dismissed, however many outcomes follow; a success is replaced by the next outcome of its row.
import { type ReactElement, useCallback, useRef, useState } from 'react';
import { Notice, type NoticeText } from './Notice.tsx';

export interface ShownNotice extends NoticeText {
  readonly id: number;
}

/** The notices of each row, and ways to add and dismiss them. */
export interface RowNotices {
  readonly of: (row: string) => readonly ShownNotice[];
  readonly add: (row: string, notice: NoticeText) => void;
  readonly dismiss: (row: string, id: number) => void;
}

/** Notices kept per row: a refusal beside earlier ones, a success in place of the row's last success. */
export function useRowNotices(): RowNotices {
  const [rows, setRows] = useState<ReadonlyMap<string, readonly ShownNotice[]>>(new Map());
  const counter = useRef(0);
  const add = useCallback((row: string, notice: NoticeText) => {
    counter.current += 1;
    const next = { ...notice, id: counter.current };
    setRows((before) => {
      const kept = (before.get(row) ?? []).filter((shown) => shown.refused);
      return new Map(before).set(row, [...kept, next]);
    });
  }, []);
  const dismiss = useCallback((row: string, id: number) => {
    setRows((before) => {
      const left = (before.get(row) ?? []).filter((shown) => shown.id !== id);
      return new Map(before).set(row, left);
    });
  }, []);
  const of = useCallback((row: string) => rows.get(row) ?? [], [rows]);
  return { of, add, dismiss };
}

/** The notices of a page: those of a row with no name. */
export function useNotices(): {
  shown: readonly ShownNotice[];
  add: (notice: NoticeText) => void;
  dismiss: (id: number) => void;
} {
  const rows = useRowNotices();
  return {
    shown: rows.of(''),
    add: (notice) => rows.add('', notice),
    dismiss: (id) => rows.dismiss('', id),
  };
}

/** The notices, each a Notice of its own. */
export function NoticeList({
  notices,
  onDismiss,
}: {
  notices: readonly ShownNotice[];
  onDismiss: (id: number) => void;
}): ReactElement | null {
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((notice) => (
        <Notice key={notice.id} notice={notice} onDismiss={() => onDismiss(notice.id)} />
      ))}
    </div>
  );
}
