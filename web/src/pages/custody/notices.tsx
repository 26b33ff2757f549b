// Outcomes kept by what they concern (an instruction, an approval, a form): a success replaces the
// success before it; a refusal stays beside its row until the user dismisses it.
import { useCallback, useState } from 'react';
import { Notice } from '../../components/Notice.tsx';

interface Refusal {
  readonly number: number;
  readonly text: string;
}

/** The outcomes concerning one thing. */
export interface Outcomes {
  readonly success?: string;
  readonly refusals: readonly Refusal[];
}

/** Outcomes keyed by what they concern. */
export interface RowNotices {
  readonly of: (key: string) => Outcomes;
  readonly succeed: (key: string, text: string) => void;
  readonly refuse: (key: string, text: string) => void;
  readonly dismiss: (key: string, number: number) => void;
}

let counter = 0;

/** Notices per key: a refusal for one instruction never shows beside another. */
export function useRowNotices(): RowNotices {
  const [all, setAll] = useState<Readonly<Record<string, Outcomes>>>({});
  const succeed = useCallback((key: string, text: string) => {
    setAll((now) => ({ ...now, [key]: { refusals: now[key]?.refusals ?? [], success: text } }));
  }, []);
  const refuse = useCallback((key: string, text: string) => {
    counter += 1;
    const refusal = { number: counter, text };
    setAll((now) => ({
      ...now,
      [key]: { success: undefined, refusals: [...(now[key]?.refusals ?? []), refusal] },
    }));
  }, []);
  const dismiss = useCallback((key: string, number: number) => {
    setAll((now) => {
      const refusals = (now[key]?.refusals ?? []).filter((refusal) => refusal.number !== number);
      return { ...now, [key]: { success: now[key]?.success, refusals } };
    });
  }, []);
  const of = useCallback((key: string): Outcomes => all[key] ?? { refusals: [] }, [all]);
  return { of, succeed, refuse, dismiss };
}

/** The notices of one key: its last success, then each refusal with its Dismiss button. */
export function RowNotice({ notices, of }: { notices: RowNotices; of: string }) {
  const outcomes = notices.of(of);
  return (
    <div className="row-notices" data-notices={of}>
      {outcomes.success && (
        <Notice notice={{ text: outcomes.success, refused: false }} onDismiss={() => undefined} />
      )}
      {outcomes.refusals.map((refusal) => (
        <Notice
          key={refusal.number}
          notice={{ text: refusal.text, refused: true }}
          onDismiss={() => notices.dismiss(of, refusal.number)}
        />
      ))}
    </div>
  );
}
