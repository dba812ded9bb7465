// Text from AWS (instance names, failure reasons) shown inside Markdown (tooltips, hovers): escaped, so a
// name cannot turn into a link or a command.

/** Escapes every character Markdown gives a meaning to. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$]/g, '\\$&');
}

/** A table cell's text (already Markdown) kept inside its cell: no column break, on one line. */
export function escapeTableCell(markdown: string): string {
  return markdown.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
