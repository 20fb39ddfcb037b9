// The `hyphen` package ships no type declarations; only the synchronous German hyphenator is used here.
declare module 'hyphen/de/index.js' {
  const de: { hyphenateSync(text: string, options?: { hyphenChar?: string; minWordLength?: number }): string };
  export default de;
}
