/** Shared Tailwind class lists, so every button and card looks the same. */
const button = "inline-flex items-center justify-center gap-2 rounded-lg px-4 py-2 text-base font-semibold transition-colors focus-visible:outline focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-sky-600 disabled:cursor-not-allowed disabled:opacity-40";

export const styles = {
  primaryButton: `${button} bg-slate-900 text-white hover:bg-slate-700`,
  secondaryButton: `${button} border border-slate-300 bg-white text-slate-900 hover:bg-slate-100`,
  dangerButton: `${button} bg-rose-700 text-white hover:bg-rose-800`,
  quietDangerButton: `${button} border border-rose-300 bg-white text-rose-800 hover:bg-rose-50`,
  smallButton: "inline-flex items-center rounded-md border border-slate-300 bg-white px-2 py-1 text-sm font-medium text-slate-800 hover:bg-slate-100 disabled:opacity-40 focus-visible:outline focus-visible:outline-2 focus-visible:outline-sky-600",
  smallDangerButton: "inline-flex items-center rounded-md border border-rose-300 bg-white px-2 py-1 text-sm font-medium text-rose-800 hover:bg-rose-50 disabled:opacity-40 focus-visible:outline focus-visible:outline-2 focus-visible:outline-sky-600",
  /** The summary of a <details> that holds a card's secondary facts. */
  disclosure: "cursor-pointer select-none text-sm font-semibold text-slate-700 hover:text-slate-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-sky-600",
  /** The small label of a fact (dt) above its value. */
  factLabel: "text-xs font-semibold uppercase tracking-wide text-slate-600",
  card: "rounded-2xl border border-slate-200 bg-white p-4 shadow-sm",
  panel: "rounded-2xl border border-slate-200 bg-white p-5 shadow-sm",
  panelTitle: "text-xl font-semibold text-slate-900",
  input: "rounded-lg border border-slate-400 bg-white px-3 py-2 text-lg text-slate-900 focus-visible:outline focus-visible:outline-3 focus-visible:outline-sky-600",
  mono: "font-mono",
  /**
   * A terminal (kubectl commands, dig answers): dark in both themes. zinc, green and red are not in
   * the dark theme's turned-over palette (app/globals.css), so these stay as they are (all ≥ 7:1 on zinc-900).
   */
  terminal: "bg-zinc-900 text-zinc-100 ring-1 ring-zinc-700",
  terminalMuted: "text-zinc-300",
  terminalPrompt: "text-green-300",
  terminalError: "text-red-300",
  label: "text-sm font-medium uppercase tracking-wide text-slate-500",
};
