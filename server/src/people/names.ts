/**
 * One spelling per organisation name: same-employer recusal compares organisations, so "宏达物流 (济南)" and
 * "宏达物流（济南）" must not become two employers. Whitespace goes, ASCII brackets become full-width.
 */
export function normaliseOrgName(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, '').replace(/\(/g, '（').replace(/\)/g, '）');
}
