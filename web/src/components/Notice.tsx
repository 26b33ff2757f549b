// What an action came to: a success says so politely and may be replaced by the next; a refusal
// is an error, announced at once, and stays until the user dismisses it. A notice takes the focus
// when it appears: the control that acted may be gone (a trade allocated has no Allocate button),
// and a keyboard user goes on from what the action came to, never from the top of the page.
import { type ReactElement, useEffect, useRef } from 'react';

/** An outcome to show: a refusal (an error) or a success. */
export interface NoticeText {
  readonly text: string;
  readonly refused: boolean;
}

const CONTROLS = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea, a[href]';

/** Dismisses a refusal, the focus going to the control before it rather than to the top of the page. */
function dismissKeepingFocus(box: HTMLElement | null, onDismiss: () => void): void {
  const before = [...document.querySelectorAll<HTMLElement>(CONTROLS)]
    .filter((control) => box && !box.contains(control))
    .filter((control) => box && control.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING)
    .at(-1);
  onDismiss();
  before?.focus();
}

/** Shows a notice; a refusal has a button to dismiss it. */
export function Notice({
  notice,
  onDismiss,
}: {
  notice: NoticeText | undefined;
  onDismiss: () => void;
}): ReactElement | null {
  const shown = useRef<HTMLParagraphElement & HTMLDivElement>(null);
  const text = notice?.text;
  useEffect(() => {
    if (text !== undefined) shown.current?.focus({ preventScroll: false });
  }, [text]);
  if (!notice) return null;
  if (!notice.refused) {
    return (
      <p className="notice" role="status" tabIndex={-1} ref={shown}>
        {notice.text}
      </p>
    );
  }
  return (
    <div className="error-notice" role="alert" tabIndex={-1} ref={shown}>
      <span>{notice.text}</span>
      <button
        type="button"
        onClick={() => dismissKeepingFocus(shown.current, onDismiss)}
        aria-label="Dismiss this error"
      >
        Dismiss
      </button>
    </div>
  );
}
