const path = require('node:path');
const MiniCssExtractPlugin = require('mini-css-extract-plugin');

// Stable file names (verto-peer.js / verto-peer.css) so Django's collectstatic and the demo page
// can reference them without a manifest; source maps are separate files, and devtool never uses
// eval so the bundle runs under a strict Content-Security-Policy.
module.exports = (_env, argv) => {
  const mode = argv.mode ?? 'production';
  return {
    mode,
    // The bundle is ES2022 already (tsconfig.json): webpack's runtime may use arrows and const too.
    target: ['web', 'es2022'],
    entry: { 'verto-peer': './src/index.ts' },
    // Per-browser shim chunks (src/browser-shims.ts) get content hashes: the entry's name is stable, and a
    // cached old entry never loads a new chunk by the same name. They load from the entry's own URL ('auto').
    output: { path: path.resolve(__dirname, 'dist'), filename: '[name].js', chunkFilename: '[name].[contenthash:8].js', publicPath: 'auto', clean: true },
    devtool: 'source-map',
    module: {
      rules: [
        { test: /\.ts$/, exclude: /node_modules/, use: { loader: 'ts-loader', options: { configFile: 'tsconfig.json', onlyCompileBundledFiles: true } } },
        { test: /\.css$/, use: [MiniCssExtractPlugin.loader, 'css-loader'] },
        // Each shim chunk (src/browser-shims.ts) in its own layer: its adapter modules are its own copies,
        // tree-shaken to what that chunk's list uses (webpack keeps one module's used exports for all
        // chunks), so Safari's chunk drops the SDP parser and the entry keeps only the detection.
        ...['chrome', 'firefox', 'safari'].map((b) => ({ test: path.resolve(__dirname, 'src/shims', `${b}.ts`), layer: `shims-${b}` })),
        // sdp.js only defines and exports SDPUtils: a copy whose import is unused can be left out.
        { test: /[\\/]node_modules[\\/]sdp[\\/]/, sideEffects: false },
      ],
    },
    experiments: { layers: true },
    resolve: {
      extensions: ['.ts', '.js'],
      // RxJS ships an es2015 build that tree-shakes better than its default es5 one.
      conditionNames: ['es2015', 'import', 'module', 'browser', 'default'],
    },
    // No CSS-loading runtime: the only CSS is the entry's, linked by the page.
    plugins: [new MiniCssExtractPlugin({ filename: '[name].css', runtime: false })],
    performance: { hints: false },
    // One self-contained chunk per browser (shared adapter code repeated): a browser fetches at most one.
    optimization: {
      splitChunks: false,
      // A third terser pass and ES2020 output (the sources are ES2022) save ~170 B gzip; no unsafe options.
      minimizeOptions: { javascript: { ecma: 2020, compress: { passes: 3 } } },
    },
  };
};
