"use client";
import { useEffect, useId, useRef, type ReactNode } from "react";
import { createPortal } from "react-dom";

/**
 * A native modal <dialog> (role "dialog", focus kept inside, Escape closes), mounted only while
 * open. Its accessible name is its title. Portalled to <body> so it never sits inside the card
 * that opened it (the card's own buttons and the dialog's stay distinct by role and name).
 */
export function Modal({ title, onClose, children, tone = "default" }: { title: string; onClose: () => void; children: ReactNode; tone?: "default" | "danger" }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    // No close() on cleanup: removing the element ends the modal state, and a close event fired
    // from a StrictMode re-run would dismiss a dialog that was meant to stay open.
    if (dialog && !dialog.open && typeof dialog.showModal === "function") dialog.showModal();
  }, []);
  const dialog = (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      className="m-auto w-[min(40rem,92vw)] rounded-2xl border border-slate-300 bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-900/50"
    >
      <div className={`border-b px-6 py-4 ${tone === "danger" ? "border-rose-200 bg-rose-50" : "border-slate-200 bg-slate-50"}`}>
        <h2 id={titleId} className="text-2xl font-semibold">
          {title}
        </h2>
      </div>
      <div className="space-y-3 px-6 py-5 text-lg leading-relaxed">{children}</div>
    </dialog>
  );
  return typeof document === "undefined" ? dialog : createPortal(dialog, document.body);
}
