/**
 * How names are compared when searching: case, `_`, `-` and runs of spaces do not matter, so
 * "api key" finds OPENAI_API_KEY and google-api-key alike.
 */
export function foldForSearch(text: string): string {
  return text.toLowerCase().replace(/[\s_-]+/g, ' ');
}
