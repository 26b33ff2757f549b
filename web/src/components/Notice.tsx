// What an action came to: a success says so politely and may be replaced by the next; a refusal
// is an error, announced at once, and stays until the user dismisses it.
import type { ReactElement } from 'react';

/** An outcome to show: a refusal (an error) or a success. */
export interface NoticeText {
  readonly text: string;
  readonly refused: boolean;
}

/** Shows a notice; a refusal has a button to dismiss it. */
export function Notice({
  notice,
  onDismiss,
}: {
  notice: NoticeText | undefined;
  onDismiss: () => void;
}): ReactElement | null {
  if (!notice) return null;
  if (!notice.refused) {
    return (
      <p className="notice" role="status">
        {notice.text}
      </p>
    );
  }
  return (
    <div className="error-notice" role="alert">
      <span>{notice.text}</span>
      <button type="button" onClick={onDismiss} aria-label="Dismiss this error">
        Dismiss
      </button>
    </div>
  );
}
