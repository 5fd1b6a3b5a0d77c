// The budget of request body bytes all requests hold together: a lease takes bytes while there is
// room, refuses (taking nothing) when there is not, and gives everything back once.

import { BodyBudget } from '../../relay/body-budget';

test('leases take bytes while the budget has room, refuse past it, and give back all they took once', () => {
  const held: number[] = [];
  let refused = 0;
  const budget = new BodyBudget(100, (n) => held.push(n), () => refused++);
  const a = budget.lease();
  const b = budget.lease();
  expect([a.take(60), b.take(30), b.take(20), a.take(10)]).toEqual([true, true, false, true]);
  expect([budget.heldBytes, refused]).toEqual([100, 1]);
  a.release();
  a.release();
  expect(budget.heldBytes).toBe(30);
  expect(b.take(70)).toBe(true);
  b.release();
  expect(budget.heldBytes).toBe(0);
  expect(held).toEqual([60, 90, 100, 30, 100, 0]);
});
