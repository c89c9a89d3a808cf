/** One-line, timestamped logs for node processes (stdout goes to `.veriscan/devnet/logs/<node>.log`). */
export function logger(component: string): (message: string) => void {
  return (message) => {
    process.stdout.write(`${new Date().toISOString()} [${component}] ${message}\n`);
  };
}
