/**
 * English left untranslated in rendered markup: runs of three or more English words in one text
 * run, outside what Kubernetes writes — names and kubectl in <code>/<pre>/monospace, and messages
 * Kubernetes components wrote (marked lang="en"). Used by the zh-CN rendering tests.
 */
export function englishSentences(html: string): string[] {
  const text = html
    // Scripts and styles are not shown (Next's payload carries every catalogue's raw messages).
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/g, "\n")
    .replace(/<(code|pre)\b[^>]*>[\s\S]*?<\/\1>/g, "\n")
    .replace(/<(span|dd|p|h3|h4|li|div)\b[^>]*(class="[^"]*font-mono[^"]*"|lang="en")[^>]*>[^<]*<\/\1>/g, "\n")
    .replace(/<\/?(strong|em|time|b|i)\b[^>]*>/g, " ")
    .replace(/<[^>]+>/g, "\n")
    .replace(/&[a-z#0-9]+;/g, " ");
  return text.match(/[A-Za-z][a-z']*(?:[ ,]+[A-Za-z][a-z']*){2,}/g) ?? [];
}
