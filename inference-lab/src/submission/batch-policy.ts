/**
 * When to anchor: as soon as `size` receipts wait, or `intervalMs` after the oldest waiting receipt
 * was recorded, whichever comes first — so every receipt has a promised maximum time to inclusion
 * (Certificate Transparency's "maximum merge delay"), whatever the load.
 */

/** What the anchorer should do now. */
export type BatchDecision =
  | { readonly flush: true; readonly take: number }
  | { readonly flush: false; readonly wakeAt: number | undefined };

/**
 * @param pending receipts waiting to be batched
 * @param oldestAt when the oldest of them was recorded (epoch ms), undefined when none wait
 * @param force anchor whatever waits now (graceful stop)
 */
export function decideBatch(
  input: Readonly<{
    pending: number;
    oldestAt: number | undefined;
    now: number;
    size: number;
    intervalMs: number;
    force?: boolean;
  }>,
): BatchDecision {
  const { pending, oldestAt, now, size, intervalMs } = input;
  if (pending === 0 || oldestAt === undefined) return { flush: false, wakeAt: undefined };
  const take = Math.min(pending, size);
  if (input.force === true || pending >= size) return { flush: true, take };
  const dueAt = oldestAt + intervalMs;
  if (now >= dueAt) return { flush: true, take };
  return { flush: false, wakeAt: dueAt };
}
