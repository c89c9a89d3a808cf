/**
 * dependency-cruiser: import cycles anywhere in the workspaces' sources. The package boundaries
 * (no `dist/` or cross-workspace `src/` imports, dependencies pointing down) are checked by
 * scripts/check-boundaries.mjs, which reads the import specifiers as written.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module may not import itself through others: split the shared part out.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['types', 'require', 'default'] },
  },
};
