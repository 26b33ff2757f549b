// Safe hands: every action that moves value or changes reference data asks first, in a modal
// dialog that states what will happen in words and figures. Focus starts on Cancel, so Enter
// never confirms by surprise; Escape cancels.
import { type ReactElement, useCallback, useEffect, useRef, useState } from 'react';

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
    dialog.current?.showModal();
    cancel.current?.focus();
  }, []);
  const needsReason = request.reason !== undefined;
  return (
    <dialog
      ref={dialog}
      className="confirm"
      aria-labelledby="confirm-title"
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
