// Preloaded into servers the e2e helpers start: when the test runner dies without stopping them
// (killed, crashed), their stdin pipe closes and they exit instead of lingering on the machine.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
