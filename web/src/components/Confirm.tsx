// Safe hands: every action that moves value or changes reference data asks first, in a modal
// dialog that states what will happen in words and figures. Focus starts on Cancel, so Enter
// never confirms by surprise; Escape cancels; Tab and Shift+Tab go round the dialog's own controls
// only; when it closes, the focus goes back to the control that opened it.
import { type KeyboardEvent, type ReactElement, useCallback, useEffect, useRef, useState } from 'react';

/** What a confirmation states: a title, the lines of what will happen, the verb on its button. */
export interface ConfirmRequest {
  readonly title: string;
  readonly lines: readonly string[];
  readonly verb: string;
  /** A reason the user must type (a cancellation, a rejection); its label. */
  readonly reason?: string;
}

/** The answer: confirmed (with the reason typed, if one was asked), or not. */
export type ConfirmAnswer =
  | { readonly confirmed: true; readonly reason: string }
  | { readonly confirmed: false };

interface Pending {
  readonly request: ConfirmRequest;
  readonly resolve: (answer: ConfirmAnswer) => void;
}

/** A confirmation dialog and `ask`, which opens it and resolves with the user's answer. */
export function useConfirm(): [ReactElement | null, (request: ConfirmRequest) => Promise<ConfirmAnswer>] {
  const [pending, setPending] = useState<Pending>();
  const ask = useCallback(
    (request: ConfirmRequest) => new Promise<ConfirmAnswer>((resolve) => setPending({ request, resolve })),
    [],
  );
  const close = (answer: ConfirmAnswer) => {
    pending?.resolve(answer);
    setPending(undefined);
  };
  const dialog = pending ? <ConfirmDialog request={pending.request} onClose={close} /> : null;
  return [dialog, ask];
}

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea';

/** Tab past the last control goes to the first, Shift+Tab before the first to the last. */
function keepFocusWithin(event: KeyboardEvent<HTMLDialogElement>): void {
  if (event.key !== 'Tab') return;
  const controls = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = controls[0];
  const last = controls.at(-1);
  if (!first || !last) return;
  const active = document.activeElement;
  const wrapTo = event.shiftKey ? (active === first ? last : undefined) : active === last ? first : undefined;
  if (!wrapTo && controls.includes(active as HTMLElement)) return;
  event.preventDefault();
  (wrapTo ?? first).focus();
}

function ConfirmDialog({
  request,
  onClose,
}: {
  request: ConfirmRequest;
  onClose: (answer: ConfirmAnswer) => void;
}): ReactElement {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const [reason, setReason] = useState('');
  useEffect(() => {
    const element = dialog.current;
    // The control that opened the dialog, focused again when it closes (if it is still there).
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    element?.showModal();
    cancel.current?.focus();
    return () => {
      if (element?.open) element.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  const needsReason = request.reason !== undefined;
  return (
    <dialog
      ref={dialog}
      className="confirm"
      aria-labelledby="confirm-title"
      onKeyDown={keepFocusWithin}
      onCancel={(event) => {
        event.preventDefault();
        onClose({ confirmed: false });
      }}
    >
      <h2 id="confirm-title">{request.title}</h2>
      <pre className="account">{request.lines.join('\n')}</pre>
      {needsReason && (
        <label>
          {request.reason}
          <input value={reason} onChange={(event) => setReason(event.target.value)} required />
        </label>
      )}
      <div className="actions">
        <button type="button" ref={cancel} onClick={() => onClose({ confirmed: false })}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          disabled={needsReason && reason.trim() === ''}
          onClick={() => onClose({ confirmed: true, reason: reason.trim() })}
        >
          {request.verb}
        </button>
      </div>
    </dialog>
  );
}
