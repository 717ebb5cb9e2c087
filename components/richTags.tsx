import type { ReactNode } from "react";

/**
 * The tags the message catalogues may use inside a sentence (`t.rich(key, { ...richTags, … })`):
 * Kubernetes names in monospace, emphasis. Kept in one place so every translation renders the same.
 */
export const richTags = {
  mono: (chunks: ReactNode) => <code className="font-mono">{chunks}</code>,
  strong: (chunks: ReactNode) => <strong>{chunks}</strong>,
  em: (chunks: ReactNode) => <em>{chunks}</em>,
};
