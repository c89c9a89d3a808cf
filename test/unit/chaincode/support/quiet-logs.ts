// fabric-contract-api logs every decorator at info level when the contract classes load; tests
// only want warnings. Imported before the contracts so the logger reads it at creation.
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'warning';
