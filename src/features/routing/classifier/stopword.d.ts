// The `stopword` package ships no type declarations; only the German list is used here.
declare module 'stopword' {
  export const deu: string[];
}
