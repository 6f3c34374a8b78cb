/**
 * Finds the `rel="next"` target in a `Link` header (RFC 8288), as the distribution spec uses
 * for tag and referrers pagination. Returns undefined when there is none.
 */
export function nextLink(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const text = header.slice(0, 8192);
  const pattern = /<([^>]*)>\s*((?:;\s*[^;,]+)*)/g;
  for (const match of text.matchAll(pattern)) {
    const params = match[2] ?? "";
    if (/;\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(params)) return match[1];
  }
  return undefined;
}
