/// <reference types="vite/client" />

/** The diff report's chart library (scripts/chart-library.mjs, bundled as a browser script), as text. */
declare module 'virtual:guize-chart-library' {
  const text: string;
  export default text;
}
