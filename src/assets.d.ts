// CSS is extracted by webpack (mini-css-extract-plugin); TypeScript only needs to know the import exists.
declare module '*.css';
