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
    {
      name: 'chaincode-infra-is-plumbing',
      severity: 'error',
      comment: 'chaincode/src/infra (state, keys, JSON, time, errors) knows nothing of the rules above it.',
      from: { path: '^chaincode/src/infra/' },
      to: { path: '^chaincode/src/(rules|domain|services|contracts)/' },
    },
    {
      name: 'lab-layers-point-down',
      severity: 'error',
      comment: 'Only the service layer (and main) wires the lab together; nothing below imports it.',
      from: { path: '^inference-lab/src/(submission|outbox|telemetry|fabric|fetch|runtime|http)/' },
      to: { path: '^inference-lab/src/(service|main)' },
    },
    {
      name: 'devnet-ledger-below-peer-services',
      severity: 'error',
      comment: 'The ledger (block store, state, validation, lifecycle state) does not reach up into the gateway or endorser.',
      from: { path: '^network/devnet/src/ledger/' },
      to: { path: '^network/devnet/src/(gateway|endorser|cli|node)/' },
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
